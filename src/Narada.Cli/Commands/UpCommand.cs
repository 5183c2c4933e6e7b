using System.CommandLine;
using Narada.Agent;
using Narada.Agent.Configuration;
using Narada.Agent.Hosting;
using Narada.Cli.Hosting;
using Narada.Core.Yaml;

namespace Narada.Cli.Commands;

/// <summary>
/// <c>narada up</c>: job server, controller and a local agent in one process on loopback with config/ — the whole
/// platform on one machine, gathering its real statistics within seconds.
/// </summary>
internal static class UpCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config", "-c") { Description = "Definitions directory (default: config/)." };
        var port = ServerCommand.PortOption("Job server port.");
        var servers = ServerOption.Create("Use these job servers (repeatable; a gearmand already running, say) instead of the embedded one.");
        var http = ServerCommand.HttpOption("IP:port of the controller's /metrics and /api (loopback unless told otherwise).");
        var data = new Option<string?>("--data") { Description = "State directory (default: .narada/)." };
        var agentConfig = new Option<string?>("--agent-config") { Description = "Agent configuration (default: agents/agent.yaml)." };
        var (httpCert, httpKey, httpClientCa) = ServerCommand.HttpsOptions();
        var secrets = ServerCommand.SecretsOption();
        var users = ServerCommand.UsersOption();
        var command = new Command("up", "Run job server, controller and a local agent together on loopback.\n\n" +
            "Examples:\n  narada up\n  narada up --server 127.0.0.1:4730      (with the gearmand already running there)")
        {
            config, port, servers, http, data, agentConfig, httpCert, httpKey, httpClientCa, secrets, users,
        };
        ServerCommand.RefusePortWithServers(command, port, servers);
        command.SetAction((parse, cancellationToken) => ConsoleHost.RunUntilStoppedAsync(async stop =>
        {
            var settings = new ServerCommand.Settings(parse.GetValue(config) ?? DefaultPaths.Config, parse.GetValue(data) ?? DefaultPaths.Data,
                parse.GetValue(http)!, parse.GetValue(port),
                External: parse.GetValue(servers) is { Length: > 0 } external ? ServerOption.Parse(external) : null, HttpCertificate: parse.GetValue(httpCert),
                HttpKey: parse.GetValue(httpKey), HttpClientCa: parse.GetValue(httpClientCa), Secrets: parse.GetValue(secrets),
                Users: parse.GetValue(users));
            AgentConfig agent;
            try
            {
                agent = LoadAgent(parse.GetValue(agentConfig));
            }
            catch (Exception e) when (e is YamlFileException or FormatException or IOException)
            {
                await Console.Error.WriteLineAsync($"narada up: {e.Message}");
                return 2;
            }
            using var logging = ConsoleHost.Logging();
            await using var stack = await ServerCommand.StartAsync(settings, logging, stop);
            if (stack is null)
                return 1;
            agent = agent with { Servers = stack.Servers };
            var jobServers = stack.Servers;
            var local = new ReloadingAgent(agent, () => LoadAgent(parse.GetValue(agentConfig)) with { Servers = jobServers }, logging);
            // SIGHUP reloads both halves: the definitions, and the local agent's file and manifests.
            using var reloadDefinitions = stack.ReloadOnHangup(logging);
            using var reloadAgent = ConsoleHost.OnHangup(local.RequestReload);
            var running = local.RunAsync(stop);
            PrintBanner(stack, agent);
            await running;
            return 0;
        }, cancellationToken));
        return command;
    }

    /// <summary>The local agent's configuration: --agent-config, else the checkout's sample agents/agent.yaml (it allows
    /// /etc/motd for the default apply), found as the agent finds its own.</summary>
    private static AgentConfig LoadAgent(string? path) =>
        AgentHost.Load(new AgentCommandLine { ConfigPath = path ?? DefaultPaths.AgentConfig }, DefaultPaths.Plugins);

    private static void PrintBanner(ServerCommand.RunningServer stack, AgentConfig agent)
    {
        var job = stack.Servers[0];
        var http = stack.Controller.HttpAddress;
        Console.Out.WriteLine($"""

            Narada is up.
              dashboard   {http}
              job server  {job}    gearadmin -h {job.Host} -p {job.Port} --status
              metrics     {http}metrics
              api         {http}api/checks    {http}api/hosts
              agent       {agent.Name}  (tags: {string.Join(", ", agent.Tags)})
              status      narada status --url {http}
            Ctrl-C stops everything.

            """);
    }
}
