using System.Globalization;
using Narada.Testing;

namespace Narada.Chaos.Processes;

/// <summary>One run of a check, as the plugin itself wrote it down: when it started and ended, and which agent ran it.</summary>
public sealed record PluginRun(string Id, string Check, long Started, long? Ended, int AgentPid);

/// <summary>
/// A plugin directory with <c>chaos.dummy</c> and <c>chaos.slow</c>: a wrapper that writes the start and the end of each
/// run into a ledger file, then hands over to the real Monitoring Plugins' check_dummy with the run's id as its output.
/// The ledger is the plugin's own record of what ran, kept outside the agent and the controller; the id in the output
/// ties a stored result to its run.
/// </summary>
public sealed class ChaosPlugin
{
    public ChaosPlugin(string directory)
    {
        var checkDummy = RequiredTool.Path("check_dummy", "monitoring-plugins-basic");
        var plugin = Directory.CreateDirectory(Path.Combine(directory, "plugins", "chaos")).FullName;
        PluginDirectory = Path.Combine(directory, "plugins");
        Ledger = Path.Combine(directory, "runs.log");
        var script = Path.Combine(plugin, "run.sh");
        // $PPID is the agent: it execs the script directly, no shell in between. Lines are short single writes, so
        // concurrent runs appending to the file do not interleave.
        File.WriteAllText(script, $$"""
            #!/bin/sh
            id="$(date +%s%N)-$$"
            echo "start $(date +%s%3N) $2 $id $PPID" >> "$1"
            if [ "$3" != 0 ]; then sleep "$3"; fi
            echo "end $(date +%s%3N) $2 $id $PPID" >> "$1"
            exec {{checkDummy}} 0 "run $id"
            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(plugin, "plugin.yaml"), """
            plugin: chaos
            description: check_dummy behind a wrapper that writes down every run
            commands:
              dummy:
                exec: run.sh
                args: ["{ledger}", "{name}", "0"]
                params:
                  ledger: { type: path }
                  name: { type: string, pattern: "[a-z0-9-]{1,40}" }
                output: nagios
                timeout: 10s
              slow:
                exec: run.sh
                args: ["{ledger}", "{name}", "{seconds}"]
                params:
                  ledger: { type: path }
                  name: { type: string, pattern: "[a-z0-9-]{1,40}" }
                  seconds: { type: int, min: 1, max: 60 }
                output: nagios
                timeout: 120s
              hang:
                exec: run.sh
                args: ["{ledger}", "{name}", "3600"]
                params:
                  ledger: { type: path }
                  name: { type: string, pattern: "[a-z0-9-]{1,40}" }
                output: nagios
                timeout: 2s
            """);
    }

    public string PluginDirectory { get; }
    public string Ledger { get; }

    /// <summary>A Check definition of <c>chaos.hang</c>: a plugin that never ends, killed at its 2 s timeout.</summary>
    public string HangingCheck(string name, string every, string target) => $$"""
        kind: Check
        name: {{name}}
        plugin: chaos.hang
        params: { ledger: "{{Ledger}}", name: {{name}} }
        every: {{every}}
        targets: { {{target}} }
        """;

    /// <summary>A Check definition of <c>chaos.dummy</c> (or <c>chaos.slow</c> taking <paramref name="slowSeconds"/>).</summary>
    public string Check(string name, string every, string target, int slowSeconds = 0) => $$"""
        kind: Check
        name: {{name}}
        plugin: chaos.{{(slowSeconds > 0 ? "slow" : "dummy")}}
        params: { ledger: "{{Ledger}}", name: {{name}}{{(slowSeconds > 0 ? $", seconds: {slowSeconds}" : "")}} }
        every: {{every}}
        targets: { {{target}} }
        """;

    /// <summary>What the store holds as the output of the run <paramref name="id"/> (check_dummy's text).</summary>
    public static string Output(string id) => "OK: run " + id;

    /// <summary>Every run the plugin wrote down so far, in start order.</summary>
    public IReadOnlyList<PluginRun> Runs()
    {
        if (!File.Exists(Ledger))
            return [];
        var runs = new Dictionary<string, PluginRun>();
        using var stream = new FileStream(Ledger, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            var f = line.Split(' ');
            if (f.Length != 5 || !long.TryParse(f[1], CultureInfo.InvariantCulture, out long at)
                || !int.TryParse(f[4], CultureInfo.InvariantCulture, out int pid))
                continue; // a line still being written
            if (f[0] == "start")
                runs[f[3]] = new PluginRun(f[3], f[2], at, null, pid);
            else if (f[0] == "end" && runs.TryGetValue(f[3], out var run))
                runs[f[3]] = run with { Ended = at };
        }
        return [.. runs.Values.OrderBy(r => r.Started)];
    }
}
