using System.Text;
using Narada.Gearman.Worker;
using Narada.Testing;

namespace Narada.Gearman.Tests.Worker;

/// <summary>Progress and outcomes (data, warning, status, complete, fail, exception) as real clients see them.</summary>
[Trait("Category", "Peers")]
public sealed class WorkerOutcomeTests : IAsyncLifetime
{
    private const int PhpWorkException = 23; // GEARMAN_WORK_EXCEPTION in libgearman's return codes
    private GearmandServer _server = null!;
    private RunningWorker _worker = null!;

    public async Task InitializeAsync()
    {
        _server = await GearmandServer.StartAsync();
        _worker = await RunningWorker.StartAsync(RunningWorker.Options(_server), w =>
        {
            w.Register("progress", async (job, ct) =>
            {
                await job.SendDataAsync("chunk1;"u8.ToArray(), ct);
                await job.SendWarningAsync("careful"u8.ToArray(), ct);
                await job.SendStatusAsync(1, 2, ct);
                await job.SendDataAsync("chunk2;"u8.ToArray(), ct);
                return Encoding.UTF8.GetBytes("done:" + Encoding.UTF8.GetString(job.Payload.Span));
            });
            w.Register("explode", (_, _) => throw new InvalidOperationException("boom at line 7"));
            w.Register("refuse", (_, _) => throw new GearmanJobFailedException("not today"));
        });
    }

    public async Task DisposeAsync()
    {
        await _worker.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Gearman_tool_prints_data_and_result_on_stdout_and_the_warning_on_stderr()
    {
        var result = await GearmanTools.GearmanAsync(_server, "-f", "progress", "x");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("chunk1;chunk2;done:x", result.Stdout);
        Assert.Contains("50% Complete", result.Stdout); // the tool's rendering of WORK_STATUS 1/2
        Assert.Contains("careful", result.Stderr);
        Assert.Equal(1, _worker.Worker.JobsCompleted);
    }

    [Fact]
    public async Task Php_callbacks_see_data_warning_status_and_complete_in_order()
    {
        var result = await GearmanTools.PhpAsync("php-client-callbacks.php", _server.Host, _server.Port.ToString(), "progress", "y");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("data:chunk1;\nwarning:careful\nstatus:1/2\ndata:chunk2;\ncomplete:done:y\n", result.Stdout);
    }

    [Fact]
    public async Task Handler_exception_reaches_a_php_client_that_asked_for_exceptions()
    {
        var result = await GearmanTools.PhpAsync("php-client-callbacks.php", _server.Host, _server.Port.ToString(), "explode", "y");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("exception:boom at line 7\n", result.Stdout);
        await Retry.UntilAsync(() => _worker.Worker.JobsFailed == 1, "the exception to be counted as a failure");
    }

    [Fact]
    public async Task Handler_exception_ends_a_php_doNormal_with_work_exception_and_the_job_is_gone()
    {
        // (Not shown with the gearman tool: after a WORK_EXCEPTION it waits forever, behind libgearman workers too.)
        var result = await GearmanTools.PhpAsync("php-client-do.php", _server.Host, _server.Port.ToString(), "explode", "y");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains($"return code {PhpWorkException}: GEARMAN_WORK_EXCEPTION", result.Stderr);
        // an exception is final: the job is gone, not requeued
        var status = await GearmanTools.StatusAsync(_server.Port);
        Assert.Equal(0, status["explode"].Total);
    }

    [Fact]
    public async Task Job_failed_exception_is_work_fail_for_php_and_the_gearman_tool()
    {
        var php = await GearmanTools.PhpAsync("php-client-callbacks.php", _server.Host, _server.Port.ToString(), "refuse", "y");
        var tool = await GearmanTools.GearmanAsync(_server, "-f", "refuse", "x");

        Assert.Equal("fail\n", php.Stdout);
        Assert.NotEqual(0, tool.ExitCode);
        Assert.Contains("fail", tool.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, _worker.Worker.JobsFailed);
        Assert.Equal(0, _worker.Worker.JobsCompleted);
    }
}
