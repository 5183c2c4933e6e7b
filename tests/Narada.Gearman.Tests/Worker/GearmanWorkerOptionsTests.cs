using Narada.Gearman.Transport;
using Narada.Gearman.Worker;

namespace Narada.Gearman.Tests.Worker;

public sealed class GearmanWorkerOptionsTests
{
    private static readonly GearmanWorkerOptions Valid = new() { Servers = [ServerAddress.Local] };

    [Fact]
    public void Defaults_match_the_documented_values()
    {
        var d = GearmanWorkerOptions.Default;
        Assert.Equal(1, d.Concurrency);
        Assert.Null(d.ClientId);
        Assert.NotEmpty(d.Servers);
        Assert.True(d.ReconnectMinDelay > TimeSpan.Zero && d.ReconnectMaxDelay >= d.ReconnectMinDelay);
    }

    public static TheoryData<string, GearmanWorkerOptions> Invalid => new()
    {
        { "no servers", Valid with { Servers = [] } },
        { "zero concurrency", Valid with { Concurrency = 0 } },
        { "zero min delay", Valid with { ReconnectMinDelay = TimeSpan.Zero } },
        { "max below min", Valid with { ReconnectMinDelay = TimeSpan.FromSeconds(2), ReconnectMaxDelay = TimeSpan.FromSeconds(1) } },
        { "negative stop timeout", Valid with { StopTimeout = TimeSpan.FromSeconds(-1) } },
        { "empty client id", Valid with { ClientId = "" } },
        { "client id with NUL", Valid with { ClientId = "a\0b" } },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Worker_refuses_invalid_options_with_an_argument_error(string why, GearmanWorkerOptions options)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new GearmanWorker(options));
        Assert.False(string.IsNullOrEmpty(e.Message), why);
    }

    [Fact]
    public async Task RunAsync_cannot_run_twice_at_once_and_not_after_dispose()
    {
        var worker = new GearmanWorker(Valid with { Servers = [new ServerAddress("127.0.0.1", Narada.Testing.FreePort.Next())] });
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);
        Assert.Throws<InvalidOperationException>(() => { _ = worker.RunAsync(); });
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5));
        await worker.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => { _ = worker.RunAsync(); });
        Assert.Throws<ObjectDisposedException>(() => worker.Register("f", (j, _) => ValueTask.FromResult(j.Payload)));
    }
}
