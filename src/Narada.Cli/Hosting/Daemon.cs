using System.Diagnostics;
using Narada.Core.Execution;

namespace Narada.Cli.Hosting;

/// <summary>
/// gearmand's <c>-d/--daemon</c>, for service managers that expect a server to fork (systemd <c>Type=forking</c>, the
/// Debian unit of gearman-job-server). .NET cannot fork, so the foreground process starts itself again without the
/// flag in a session of its own, relays what it prints until it is serving, and exits: 0 once the copy is ready (its pid
/// file written), the copy's exit code when it failed to start. The copy's standard streams stay the pipes to the
/// foreground process; once that has gone, what it prints there is dropped (the runtime ignores a closed pipe), so the
/// verb gives the copy a log file when the command line has none.
/// </summary>
internal static class Daemon
{
    // Set in the copy's environment; the value is the line it prints once it serves.
    private const string ReadyVariable = "NARADA_DAEMON_READY";

    /// <summary>Starts the detached copy with <paramref name="flags"/> left out of the command line and
    /// <paramref name="added"/> appended, and waits until it serves or fails; returns the exit code for this (foreground)
    /// process.</summary>
    public static async Task<int> StartDetachedAsync(string verb, IReadOnlyCollection<string> flags, IReadOnlyList<string> added,
        CancellationToken cancellationToken)
    {
        string ready = $"narada-daemon-ready-{Guid.NewGuid():N}";
        // The same setsid the process executor starts plugins and handlers with.
        var info = new ProcessStartInfo(ProcessExecutorOptions.Default.SetsidPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in OwnCommandLine().Where(a => !flags.Contains(a)).Concat(added))
            info.ArgumentList.Add(argument);
        info.Environment[ReadyVariable] = ready;

        using var copy = Process.Start(info) ?? throw new InvalidOperationException("the background copy did not start");
        copy.StandardInput.Close();
        var errors = copy.StandardError.BaseStream.CopyToAsync(Console.OpenStandardError(), cancellationToken);
        while (await copy.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line != ready)
            {
                await Console.Out.WriteLineAsync(line);
                continue;
            }
            await Console.Out.WriteLineAsync($"narada {verb}: running in the background as pid {copy.Id}");
            return 0;
        }
        await copy.WaitForExitAsync(cancellationToken);
        await errors;
        return copy.ExitCode == 0 ? 1 : copy.ExitCode; // it ended before it served: never a success
    }

    /// <summary>In the detached copy: tells the foreground process that it serves.</summary>
    public static void ReportReady()
    {
        if (Environment.GetEnvironmentVariable(ReadyVariable) is { } ready)
            Console.Out.WriteLine(ready);
    }

    /// <summary>How this process was started, so the copy runs the same program: the app host or native binary alone,
    /// or <c>dotnet narada.dll</c>.</summary>
    private static IEnumerable<string> OwnCommandLine()
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which program this is");
        var arguments = Environment.GetCommandLineArgs();
        yield return processPath;
        if (Path.GetFileNameWithoutExtension(processPath) == "dotnet")
            yield return arguments[0]; // the .dll the dotnet host runs
        foreach (var argument in arguments.Skip(1))
            yield return argument;
    }
}
