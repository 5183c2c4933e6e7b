using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Narada.Agent.Configuration;
using Narada.Core.Yaml;

namespace Narada.Agent.Hosting;

/// <summary>
/// The agent as a program: the one entry point behind <c>narada-agent</c> (NativeAOT) and <c>narada agent</c>. Parses
/// <see cref="AgentCommandLine"/>, reads the configuration, answers <c>--check</c>, or serves until SIGINT/SIGTERM;
/// SIGHUP reloads.
/// </summary>
public static class AgentHost
{
    /// <summary>Runs the agent; returns the exit code (0 stopped cleanly, 1 <c>--check</c> found errors, 2 unusable).</summary>
    /// <param name="program">How the user called it, for messages (<c>narada-agent</c>, <c>narada agent</c>).</param>
    /// <param name="pluginsNearby">A <c>plugins/</c> directory of the checkout or install this runs from, searched before
    /// the system one when no configuration file is found.</param>
    public static async Task<int> RunAsync(string program, IReadOnlyList<string> args, string? pluginsNearby = null)
    {
        AgentCommandLine commandLine;
        try
        {
            commandLine = AgentCommandLine.Parse(args);
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"{program}: {e.Message}");
            await Console.Error.WriteLineAsync(AgentCommandLine.Usage(program));
            return 2;
        }
        if (commandLine.Help)
        {
            Console.WriteLine(AgentCommandLine.Usage(program));
            return 0;
        }

        // SIGHUP is taken over before anything is read: a reload that comes while the agent starts must not end it.
        ReloadingAgent? agent = null;
        using var onHangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            Volatile.Read(ref agent)?.RequestReload();
        });
        AgentConfig config;
        try
        {
            config = Load(commandLine, pluginsNearby);
        }
        catch (Exception e) when (e is YamlFileException or FormatException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The file is at fault, not the command line: its errors alone, without the usage text.
            await Console.Error.WriteLineAsync($"{program}: {e.Message}");
            return 2;
        }
        if (commandLine.Check)
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
        var running = new ReloadingAgent(config, () => Load(commandLine, pluginsNearby), loggers);
        Volatile.Write(ref agent, running);
        var run = running.RunAsync(stop.Token);
        await Task.WhenAny(running.Registered, run);
        // A line operators (and bench/Narada.Bench.Fleet) can watch for: the agent is ready to take jobs.
        if (running.Registered.IsCompletedSuccessfully)
            Log.Registered(loggers.CreateLogger("narada.agent"), config.Name, (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds);
        await run;
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    /// <summary>The configuration as the command line names it: the file of <see cref="AgentCommandLine.ConfigFile"/>
    /// with the command line's values over it, or the built-in defaults with them.</summary>
    public static AgentConfig Load(AgentCommandLine commandLine, string? pluginsNearby = null)
    {
        var overrides = new AgentConfigOverrides
        {
            Servers = commandLine.Servers,
            Name = commandLine.Name,
            TlsCa = commandLine.TlsCa,
            TlsCertificate = commandLine.TlsCertificate,
            TlsKey = commandLine.TlsKey,
        };
        if (commandLine.ConfigFile is { } file)
            return AgentConfig.Load(file, overrides);
        var defaults = new AgentConfig
        {
            PluginDirs = pluginsNearby is null ? [AgentConfig.SystemPluginDir] : [pluginsNearby, AgentConfig.SystemPluginDir],
        };
        return AgentConfig.Override(defaults, overrides);
    }
}
