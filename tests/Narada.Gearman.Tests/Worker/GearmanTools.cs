using Narada.Testing;

namespace Narada.Gearman.Tests.Worker;

/// <summary>The real Gearman peers the worker tests talk to: the gearman and gearadmin tools, PHP and Perl clients.</summary>
internal static class GearmanTools
{
    private static string Peer(string script) => Path.Combine(AppContext.BaseDirectory, "Peers", script);

    /// <summary>Runs the <c>gearman</c> client tool against <paramref name="server"/>.</summary>
    public static Task<ProcessResult> GearmanAsync(GearmandServer server, params string[] args) => GearmanAsync(server.Port, args);

    public static Task<ProcessResult> GearmanAsync(int port, params string[] args) =>
        ExternalProcess.RunAsync(RequiredTool.Gearman, ["-h", "127.0.0.1", "-p", port.ToString(), .. args],
            timeout: TimeSpan.FromSeconds(20));

    /// <summary>Starts the <c>gearman</c> client tool and leaves it waiting for its answer.</summary>
    public static ExternalProcess StartGearman(GearmandServer server, params string[] args) =>
        ExternalProcess.Start(RequiredTool.Gearman, ["-h", server.Host, "-p", server.Port.ToString(), .. args]);

    /// <summary>A stock gearmand on a port the test chose (to restart a server where it was).</summary>
    public static async Task<ExternalProcess> StartGearmandAsync(int port)
    {
        var process = ExternalProcess.Start(RequiredTool.Gearmand,
            ["--listen=127.0.0.1", $"--port={port}", "--log-file=stderr", "--verbose=ERROR"]);
        await GearmandServer.WaitForListenerAsync(port, () => process.HasExited ? $"gearmand exited: {process.Stderr}" : null);
        return process;
    }

    public static async Task<string> GearadminAsync(int port, string command)
    {
        var result = await ExternalProcess.RunAsync(RequiredTool.Gearadmin, ["-h", "127.0.0.1", "-p", port.ToString(), command],
            timeout: TimeSpan.FromSeconds(10));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"gearadmin {command} failed: {result}");
        return result.Stdout;
    }

    /// <summary><c>gearadmin --status</c> as function → (total, running, available workers).</summary>
    public static async Task<Dictionary<string, (int Total, int Running, int Workers)>> StatusAsync(int port)
    {
        var status = new Dictionary<string, (int, int, int)>();
        foreach (var line in (await GearadminAsync(port, "--status")).Split('\n'))
        {
            var f = line.Split('\t');
            if (f.Length == 4)
                status[f[0]] = (int.Parse(f[1]), int.Parse(f[2]), int.Parse(f[3]));
        }
        return status;
    }

    /// <summary><c>gearadmin --workers</c> lines as (client id, functions).</summary>
    public static async Task<List<(string ClientId, string[] Functions)>> WorkersAsync(int port)
    {
        var workers = new List<(string, string[])>();
        foreach (var line in (await GearadminAsync(port, "--workers")).Split('\n'))
        {
            int colon = line.IndexOf(" : ", StringComparison.Ordinal);
            if (colon < 0)
                continue;
            var head = line[..colon].Split(' ');
            workers.Add((head[^1], line[(colon + 3)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        }
        return workers;
    }

    public static Task<ProcessResult> PhpAsync(string script, params string[] args) =>
        ExternalProcess.RunAsync(RequiredTool.Php, [Peer(script), .. args], timeout: TimeSpan.FromSeconds(20));

    public static Task<ProcessResult> PerlAsync(string script, params string[] args) =>
        ExternalProcess.RunAsync(RequiredTool.Perl, [Peer(script), .. args], timeout: TimeSpan.FromSeconds(20));
}
