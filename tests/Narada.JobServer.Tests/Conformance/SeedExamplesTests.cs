using Narada.JobServer.Tests.Support;
using Narada.Testing;

namespace Narada.JobServer.Tests.Conformance;

/// <summary>The seed's examples, run unchanged against gearmand and against Narada.</summary>
[Trait("Category", "Peers")]
public sealed class SeedExamplesTests
{
    [Theory]
    [MemberData(nameof(ServerKinds.All), MemberType = typeof(ServerKinds))]
    public async Task PhpReverseWorkerAndClient(ServerKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await using var worker = Tools.StartPhp(server, "reverse_worker.php", "2");
        await Tools.WaitForWorkersAsync(server, "reverse", 1);

        var first = await Tools.PhpAsync(server, "reverse_client.php", "Hello World!");
        var second = await Tools.PhpAsync(server, "reverse_client.php", "narada");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal("!dlroW olleH\n", first.Stdout);
        Assert.Equal("adaran\n", second.Stdout);
        var exit = await worker.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, exit.ExitCode);
    }

    [Theory]
    [MemberData(nameof(ServerKinds.All), MemberType = typeof(ServerKinds))]
    public async Task GearmanWorkerRunsGrepOnListing(ServerKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await using var worker = Tools.StartGearmanWorker(server, "-f", "test", "--", "grep", "lib");
        await Tools.WaitForWorkersAsync(server, "test", 1);
        var listing = string.Join("\n", Directory.GetFileSystemEntries("/").Select(Path.GetFileName).Order(StringComparer.Ordinal)) + "\n";

        var result = await Tools.GearmanAsync(server, listing, "-f", "test");

        Assert.Equal(0, result.ExitCode);
        var expected = listing.Split('\n').Where(l => l.Contains("lib", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [MemberData(nameof(ServerKinds.All), MemberType = typeof(ServerKinds))]
    public async Task GearmanWorkerCountsLinesWithWc(ServerKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await using var worker = Tools.StartGearmanWorker(server, "-f", "wc", "--", "wc", "-l");
        await Tools.WaitForWorkersAsync(server, "wc", 1);

        var result = await Tools.GearmanAsync(server, "one\ntwo\nthree\n", "-f", "wc");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("3", result.Stdout.Trim());
    }

    [Theory]
    [MemberData(nameof(ServerKinds.All), MemberType = typeof(ServerKinds))]
    public async Task PerlClientAndWorker(ServerKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await using var worker = Tools.StartPerl(server, "reverse_worker.pl", "1");
        await Tools.WaitForWorkersAsync(server, "reverse", 1);

        var result = await Tools.PerlAsync(server, "reverse_client.pl", "perl peer");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("reep lrep\n", result.Stdout);
    }

    [Theory]
    [MemberData(nameof(ServerKinds.All), MemberType = typeof(ServerKinds))]
    public async Task PerlClientWithPhpWorker(ServerKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await using var worker = Tools.StartPhp(server, "reverse_worker.php", "1");
        await Tools.WaitForWorkersAsync(server, "reverse", 1);

        var result = await Tools.PerlAsync(server, "reverse_client.pl", "mixed peers");

        Assert.Equal("sreep dexim\n", result.Stdout);
    }
}
