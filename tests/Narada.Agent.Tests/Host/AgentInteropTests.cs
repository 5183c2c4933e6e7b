using System.Text.Json;
using Narada.Agent.Configuration;
using Narada.Gearman.Transport;
using Narada.Testing;

namespace Narada.Agent.Tests.Host;

/// <summary>The agent as any Gearman program sees it: the real `gearman` tool calls it directly through gearmand.</summary>
[Trait("Category", "Peers")]
public sealed class AgentInteropTests : IAsyncLifetime
{
    private readonly CancellationTokenSource _stop = new();
    private GearmandServer _gearmand = null!;
    private NaradaAgent _agent = null!;
    private Task _run = Task.CompletedTask;
    private int _port;

    public async Task InitializeAsync()
    {
        _gearmand = await GearmandServer.StartAsync();
        _port = _gearmand.Port;
        _agent = new NaradaAgent(new AgentConfig
        {
            Name = "interop01",
            Tags = ["pool"],
            Servers = [new ServerAddress(_gearmand.Host, _gearmand.Port)],
            PluginDirs = [RepoPaths.Plugins],
            HeartbeatInterval = TimeSpan.FromSeconds(1),
            Concurrency = 2,
        });
        _run = _agent.RunAsync(_stop.Token);
        await _agent.Registered.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private async Task<JsonElement> CallAsync(string function, string request)
    {
        var result = await ExternalProcess.RunAsync(RequiredTool.Gearman, ["-h", "127.0.0.1", "-p", _port.ToString(), "-f", function, request],
            timeout: TimeSpan.FromSeconds(20));
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.Stdout).RootElement;
    }

    [Fact]
    public async Task The_gearman_tool_runs_a_check_on_the_agent_and_gets_the_result_envelope()
    {
        var result = await CallAsync("narada.check@interop01",
            """{"v":1,"id":"t1","kind":"check","name":"dummy","plugin":"nagios.check_dummy","params":{"state":"1","text":"from gearman"}}""");
        Assert.Equal(1, result.GetProperty("status").GetInt32());
        Assert.Equal("WARNING: from gearman", result.GetProperty("output").GetString());
        Assert.Equal("interop01", result.GetProperty("host").GetString());
        Assert.Equal(1, result.GetProperty("exit_code").GetInt32());
    }

    [Fact]
    public async Task Undeclared_commands_and_bad_parameters_come_back_unknown_with_the_reason()
    {
        var unknown = await CallAsync("narada.check@tag:pool",
            """{"v":1,"id":"t2","kind":"check","name":"x","plugin":"nagios.rm_rf","params":{}}""");
        Assert.Equal(3, unknown.GetProperty("status").GetInt32());
        Assert.Contains("rm_rf", unknown.GetProperty("output").GetString());

        var badParam = await CallAsync("narada.check@interop01",
            """{"v":1,"id":"t3","kind":"check","name":"x","plugin":"nagios.check_dummy","params":{"state":"0; rm -rf /"}}""");
        Assert.Equal(3, badParam.GetProperty("status").GetInt32());

        var garbage = await CallAsync("narada.check@interop01", "not json at all");
        Assert.Equal(3, garbage.GetProperty("status").GetInt32());
        Assert.Contains("unreadable request", garbage.GetProperty("output").GetString());
    }

    [Fact]
    public async Task Built_in_collectors_answer_with_samples()
    {
        var result = await CallAsync("narada.collect@interop01",
            """{"v":1,"id":"t4","kind":"collect","name":"load","plugin":"system.load"}""");
        var names = result.GetProperty("samples").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToArray();
        Assert.Contains("node_load1", names);
    }

    [Fact]
    public async Task The_agent_keeps_serving_through_a_job_server_restart()
    {
        await _gearmand.DisposeAsync();
        _gearmand = await GearmandServer.StartOnPortAsync(_port);
        Assert.Equal(_port, _gearmand.Port);
        await Retry.UntilAsync(async () =>
        {
            var r = await ExternalProcess.RunAsync(RequiredTool.Gearadmin, ["-h", "127.0.0.1", "-p", _port.ToString(), "--workers"]);
            return r.Stdout.Contains("narada.check@interop01");
        }, "the agent to re-register after the restart", TimeSpan.FromSeconds(20));
        var result = await CallAsync("narada.check@interop01",
            """{"v":1,"id":"t5","kind":"check","name":"dummy","plugin":"nagios.check_dummy","params":{"state":"0","text":"back"}}""");
        Assert.Equal("OK: back", result.GetProperty("output").GetString());
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        await _agent.DisposeAsync();
        await _gearmand.DisposeAsync();
    }
}
