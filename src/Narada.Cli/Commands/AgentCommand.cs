using Narada.Core.Yaml;
using System.CommandLine;
using Narada.Agent;
using Narada.Agent.Configuration;
using Narada.Cli.Hosting;

namespace Narada.Cli.Commands;

/// <summary><c>narada agent</c>: serves this host's checks, collectors and facts to the job servers.</summary>
internal static class AgentCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config", "-c") { Description = "Agent configuration file (default: agents/agent.yaml of this checkout)." };
        var servers = ServerOption.Create("Job server host:port (repeatable); overrides the file's servers.");
        var name = new Option<string?>("--name", "-n") { Description = "Host name to serve as (overrides the file; default: this machine's)." };
        var check = new Option<bool>("--check", "-t")
            { Description = "Check the configuration and plugin manifests, print them and exit (0 ok, 1 errors, 2 unusable)." };
        var tls = new TlsClientOptions("this agent's certificate");
        var command = new Command("agent", "Run the agent: a Gearman worker serving narada.check/collect/facts@<host>.")
        {
            config, servers, name, check,
        };
        tls.AddTo(command);
        command.Description += "\n\nExamples:\n  narada agent --config agents/agent.yaml\n  narada agent --server 10.0.0.5:4730 --name web01";
        command.SetAction((parse, cancellationToken) => ConsoleHost.RunUntilStoppedAsync(async stop =>
        {
            AgentConfig LoadNow() => Load(parse.GetValue(config), parse.GetValue(servers), parse.GetValue(name),
                (parse.GetValue(tls.Ca), parse.GetValue(tls.Certificate), parse.GetValue(tls.Key)));
            AgentConfig agentConfig;
            try
            {
                agentConfig = LoadNow();
            }
            catch (Exception e) when (e is YamlFileException or FormatException or IOException or ArgumentException)
            {
                await Console.Error.WriteLineAsync($"narada agent: {e.Message}");
                return 2;
            }
            if (parse.GetValue(check))
                return AgentCheck.Report(agentConfig, Console.Out);
            using var logging = ConsoleHost.Logging();
            var agent = new ReloadingAgent(agentConfig, LoadNow, logging);
            using var reload = ConsoleHost.OnHangup(agent.RequestReload);
            await agent.RunAsync(stop);
            return 0;
        }, cancellationToken));
        return command;
    }

    /// <summary>The agent configuration: the given file, else the checkout's sample, else built-in defaults.</summary>
    public static AgentConfig Load(string? path, string[]? servers, string? name,
        (string? Ca, string? Certificate, string? Key) tls = default)
    {
        var overrides = new AgentConfigOverrides
        {
            Servers = servers is { Length: > 0 } ? ServerOption.Parse(servers) : [],
            Name = name,
            TlsCa = tls.Ca,
            TlsCertificate = tls.Certificate,
            TlsKey = tls.Key,
        };
        var file = path ?? DefaultPaths.AgentConfig;
        if (file is not null)
            return AgentConfig.Load(file, overrides);
        var defaults = new AgentConfig { PluginDirs = [DefaultPaths.Plugins, AgentConfig.SystemPluginDir] };
        return defaults with
        {
            Servers = overrides.Servers.Count > 0 ? overrides.Servers : defaults.Servers,
            Name = name ?? defaults.Name,
            Tls = overrides.ApplyTls(null),
        };
    }
}
