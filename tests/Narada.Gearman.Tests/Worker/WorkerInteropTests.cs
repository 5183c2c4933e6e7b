using System.Text;
using Narada.Gearman.Worker;
using Narada.Testing;

namespace Narada.Gearman.Tests.Worker;

/// <summary>The seed example: clients in other languages get their answer from a Narada worker via stock gearmand.</summary>
[Trait("Category", "Peers")]
public sealed class WorkerInteropTests
{
    private static readonly JobHandler Reverse = (job, _) =>
    {
        var bytes = job.Payload.ToArray();
        Array.Reverse(bytes);
        return ValueTask.FromResult<ReadOnlyMemory<byte>>(bytes);
    };

    [Fact]
    public async Task Php_client_gets_the_reversed_string()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var worker = await RunningWorker.StartAsync(RunningWorker.Options(server), w => w.Register("reverse", Reverse));

        var result = await GearmanTools.PhpAsync("php-client-do.php", server.Host, server.Port.ToString(), "reverse", "Hello World!");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("!dlroW olleH\n", result.Stdout);
        Assert.Equal(1, worker.Worker.JobsCompleted);
    }

    [Fact]
    public async Task Perl_client_gets_the_reversed_string()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var worker = await RunningWorker.StartAsync(RunningWorker.Options(server), w => w.Register("reverse", Reverse));

        var result = await GearmanTools.PerlAsync("perl-client-do.pl", server.Address, "reverse", "Hello World!");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("!dlroW olleH\n", result.Stdout);
    }

    [Fact]
    public async Task Gearman_tool_gets_the_reversed_string_for_each_of_several_jobs()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var worker = await RunningWorker.StartAsync(RunningWorker.Options(server), w => w.Register("reverse", Reverse));

        var one = await GearmanTools.GearmanAsync(server, "-f", "reverse", "Hello World!");
        var many = await GearmanTools.GearmanAsync(server, "-f", "reverse", "abc", "xyz", "12345");

        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.Equal("!dlroW olleH\n", one.Stdout);
        Assert.True(many.ExitCode == 0, many.ToString());
        // the tool prints each result as it comes and one newline at the end; one slot keeps them in queue order
        Assert.Equal("cbazyx54321\n", many.Stdout);
        Assert.Equal(4, worker.Worker.JobsCompleted);
    }

    [Fact]
    public async Task Job_context_carries_function_unique_handle_and_server()
    {
        await using var server = await GearmandServer.StartAsync();
        var seen = new TaskCompletionSource<(string Function, string Unique, string Handle, string Server, string Payload)>();
        await using var worker = await RunningWorker.StartAsync(RunningWorker.Options(server), w => w.Register("whoami", (job, _) =>
        {
            seen.TrySetResult((job.Function, job.Unique, job.Handle, job.Server.ToString(), Encoding.UTF8.GetString(job.Payload.Span)));
            return ValueTask.FromResult<ReadOnlyMemory<byte>>("ok"u8.ToArray());
        }));

        var result = await GearmanTools.GearmanAsync(server, "-f", "whoami", "-u", "my-unique-key", "payload");

        Assert.True(result.ExitCode == 0, result.ToString());
        var job = await seen.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("whoami", job.Function);
        Assert.Equal("my-unique-key", job.Unique);
        Assert.StartsWith("H:", job.Handle);
        Assert.Equal(server.Address, job.Server);
        Assert.Equal("payload", job.Payload);
    }
}
