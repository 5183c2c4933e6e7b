using Narada.Core.Yaml;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Narada.Agent;
using Narada.Agent.Configuration;
using Narada.Agent.Host;

// narada-agent: the agent on its own, published as a NativeAOT binary (see scripts/publish-agent).
const string SystemConfig = "/etc/narada/agent.yaml";

AgentArguments arguments;
try
{
    arguments = AgentArguments.Parse(args);
}
catch (FormatException e)
{
    await Console.Error.WriteLineAsync($"narada-agent: {e.Message}");
    await Console.Error.WriteLineAsync(AgentArguments.Usage);
    return 2;
}
if (arguments.Help)
{
    Console.WriteLine(AgentArguments.Usage);
    return 0;
}

AgentConfig config;
try
{
    config = Load(arguments);
}
catch (Exception e) when (e is YamlFileException or FormatException or IOException or UnauthorizedAccessException)
{
    // The file is at fault, not the command line: its error alone, without the usage text.
    await Console.Error.WriteLineAsync($"narada-agent: {e.Message}");
    return 2;
}

if (arguments.Check)
    return AgentCheck.Report(config, Console.Out);

using var stop = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var loggers = LoggerFactory.Create(b => b
    .AddSimpleConsole(o =>
    {
        o.SingleLine = true;
        o.TimestampFormat = "HH:mm:ss.fff ";
    })
    .SetMinimumLevel(LogLevel.Information));
var logger = loggers.CreateLogger("narada.agent");

var agent = new ReloadingAgent(config, () => Load(arguments), loggers);
// SIGHUP (systemctl reload) reads the configuration and manifests again instead of ending the agent.
using var onHangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
{
    context.Cancel = true;
    agent.RequestReload();
});
var run = agent.RunAsync(stop.Token);
_ = LogRegisteredAsync();
await run;
return 0;

// A line operators (and bench/Narada.Bench.Fleet) can watch for: the agent is ready to take jobs.
async Task LogRegisteredAsync()
{
    await Task.WhenAny(agent.Registered, run);
    if (agent.Registered.IsCompletedSuccessfully)
        HostLog.Registered(logger, config.Name, (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds);
}

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

static AgentConfig Load(AgentArguments arguments)
{
    var overrides = new AgentConfigOverrides { Servers = arguments.Servers, Name = arguments.Name };
    var file = arguments.ConfigPath ?? (File.Exists(SystemConfig) ? SystemConfig : null);
    if (file is not null)
        return AgentConfig.Load(file, overrides);
    var defaults = new AgentConfig();
    return defaults with
    {
        Servers = overrides.Servers.Count > 0 ? overrides.Servers : defaults.Servers,
        Name = overrides.Name ?? defaults.Name,
    };
}
