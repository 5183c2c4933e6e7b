namespace Narada.Testing;

/// <summary>
/// A plugin directory with <c>ledger.tick</c>: a check that appends the time (ms) to a ledger file on every run and
/// ends as a state file says (0 OK, 2 CRITICAL). The ledger is kept outside the controllers, so it counts real runs.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LedgerPlugin
{
    public LedgerPlugin(string directory)
    {
        Directory = directory;
        var plugin = System.IO.Directory.CreateDirectory(Path.Combine(directory, "plugins", "ledger")).FullName;
        var script = Path.Combine(plugin, "tick.sh");
        File.WriteAllText(script, """
            #!/bin/sh
            date +%s%3N >> "$1"
            state=$(cat "$2" 2>/dev/null || echo 0)
            echo "tick state $state"
            exit "$state"
            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(plugin, "plugin.yaml"), """
            plugin: ledger
            description: a check that writes down every run
            commands:
              tick:
                exec: tick.sh
                args: ["{ledger}", "{state}"]
                params:
                  ledger: { type: path }
                  state: { type: path }
                output: nagios
                timeout: 5s
            """);
    }

    public string Directory { get; }
    public string PluginDirectory => Path.Combine(Directory, "plugins");
    public string Ledger => Path.Combine(Directory, "runs.log");
    public string StateFile => Path.Combine(Directory, "state");

    /// <summary>A Check definition running <c>ledger.tick</c> on <paramref name="host"/> every <paramref name="every"/>.</summary>
    public string Check(string name, string every, string host, string? handler = null) => $$"""
        kind: Check
        name: {{name}}
        plugin: ledger.tick
        params: { ledger: "{{Ledger}}", state: "{{StateFile}}" }
        every: {{every}}
        targets: { hosts: [{{host}}] }
        {{(handler is null ? "" : $"handlers: [{handler}]")}}
        """;

    /// <summary>When each run happened (ms since the epoch), in order.</summary>
    public long[] Runs() => File.Exists(Ledger)
        ? [.. File.ReadAllLines(Ledger).Where(l => l.Length > 0).Select(long.Parse)]
        : [];
}
