using Microsoft.Extensions.Logging.Abstractions;
using Narada.Controller.Metrics;

namespace Narada.Controller.Tests.EndToEnd;

public sealed class ReloadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-reload-").FullName;

    private const string Valid = """
        kind: Check
        name: disk
        plugin: nagios.check_disk
        every: 1m
        targets: { tags: [linux] }
        """;

    [Fact]
    public async Task A_valid_edit_is_swapped_in_and_a_broken_one_leaves_the_running_set()
    {
        var file = Path.Combine(_dir, "checks.yaml");
        File.WriteAllText(file, Valid);
        var metrics = new ControllerMetrics();
        using var store = DefinitionStore.Open(_dir, NullLogger.Instance, metrics, watch: true);
        var reloaded = new TaskCompletionSource();
        store.Reloaded += _ => reloaded.TrySetResult();

        File.WriteAllText(file, Valid + "\n---\n" + Valid.Replace("name: disk", "name: disk2"));
        await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["disk", "disk2"], store.Current.Checks.Keys.Order());
        Assert.Equal(1, metrics.LastReloadSuccessful.Value);

        File.WriteAllText(file, Valid.Replace("every: 1m", "evrey: 1m"));
        var result = store.Reload();
        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.ToString().Contains("did you mean 'every'", StringComparison.Ordinal));
        Assert.Equal(["disk", "disk2"], store.Current.Checks.Keys.Order());
        Assert.Equal(1, metrics.Reloads.WithLabels("refused").Value);
        Assert.Equal(0, metrics.LastReloadSuccessful.Value);

        // Fixed: the alert on the gauge clears.
        File.WriteAllText(file, Valid);
        Assert.True(store.Reload().Succeeded);
        Assert.Equal(1, metrics.LastReloadSuccessful.Value);
    }

    [Fact]
    public void A_broken_directory_at_start_fails_with_every_error()
    {
        File.WriteAllText(Path.Combine(_dir, "a.yaml"), "kind: Chek\nname: x\n");
        File.WriteAllText(Path.Combine(_dir, "b.yaml"), Valid.Replace("every: 1m", "every: soon"));
        var e = Assert.Throws<DefinitionLoadException>(() => DefinitionStore.Open(_dir, NullLogger.Instance, new ControllerMetrics(), watch: false));
        Assert.Contains(e.Errors, x => x.File.EndsWith("a.yaml") && x.Line == 1);
        Assert.Contains(e.Errors, x => x.File.EndsWith("b.yaml"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
