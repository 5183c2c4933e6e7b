using System.Text;
using System.Text.Json;
using Narada.Agent;
using Narada.Agent.Configuration;
using Narada.Gearman.Client;
using Narada.Gearman.Worker;
using Narada.Testing;

namespace Narada.JobServer.Tests.Security;

/// <summary>The real agent with a <c>tls:</c> config against the TLS + ACL job server: checks run, heartbeats arrive.</summary>
public sealed class AgentOverTlsTests
{
    [Fact]
    public async Task Agent_serves_checks_over_tls_and_its_heartbeat_reaches_narada_results()
    {
        await using var server = await SecuredJobServer.StartAsync();
        var heartbeats = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var intake = new GearmanWorker(new GearmanWorkerOptions { Servers = [server.Address], Tls = server.Pki.ClientTls("controller") });
        intake.Register("narada.results", (job, _) =>
        {
            heartbeats.TrySetResult(Encoding.UTF8.GetString(job.Payload.Span));
            return ValueTask.FromResult(ReadOnlyMemory<byte>.Empty);
        });
        using var stop = new CancellationTokenSource();
        var intakeRun = intake.RunAsync(stop.Token);
        await using var agent = new NaradaAgent(new AgentConfig
        {
            Name = "web01",
            Servers = [server.Address],
            Tls = server.Pki.ClientTls("web01"),
            PluginDirs = [RepoPaths.Plugins],
            HeartbeatInterval = TimeSpan.FromSeconds(1),
            Concurrency = 2,
        });
        var agentRun = agent.RunAsync(stop.Token);
        await agent.Registered.WaitAsync(TimeSpan.FromSeconds(10));
        await using var controller = new GearmanClient(new GearmanClientOptions { Servers = [server.Address], Tls = server.Pki.ClientTls("controller") });

        var result = await controller.SubmitAsync("narada.check@web01", Encoding.UTF8.GetBytes(
            """{"v":1,"id":"t1","kind":"check","name":"dummy","plugin":"nagios.check_dummy","params":{"state":"1","text":"over tls"}}"""));
        var envelope = JsonDocument.Parse(result.Data).RootElement;

        Assert.Equal(1, envelope.GetProperty("status").GetInt32());
        Assert.Equal("WARNING: over tls", envelope.GetProperty("output").GetString());
        Assert.Contains("web01", await heartbeats.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        await stop.CancelAsync();
        await Task.WhenAll(agentRun, intakeRun).WaitAsync(TimeSpan.FromSeconds(15));
    }
}
