using System.Diagnostics;
using System.Globalization;
using Narada.Gearman.Transport;

namespace Narada.Bench.Fleet;

/// <summary>The parent's handle on the <see cref="ControllerNode"/> process: start it, ask for its counters, stop it.</summary>
internal sealed class ControllerChild : IAsyncDisposable
{
    private readonly Process _process;

    private ControllerChild(Process process) => _process = process;

    public int Pid => _process.Id;

    /// <summary>
    /// Starts the process and waits until its controller is started. <paramref name="store"/> is what the controller's
    /// <c>--store</c> takes (null: SQLite in the data directory); <paramref name="fleet"/> false leaves out the simulated
    /// hosts; with <paramref name="hold"/> it returns once the process is up, before the controller starts, which
    /// <see cref="GoAsync"/> then does.
    /// </summary>
    public static async Task<ControllerChild> StartAsync(ServerAddress server, string configDirectory, string dataDirectory,
        int connections = 1, string? store = null, bool fleet = true, bool hold = false)
    {
        var self = Environment.ProcessPath ?? throw new BenchSetupException("cannot tell this program's path");
        var info = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            info.ArgumentList.Add(typeof(ControllerChild).Assembly.Location);
        foreach (var arg in new[] { "controller-node", server.ToString(), configDirectory, dataDirectory,
                     connections.ToString(CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(arg);
        if (store is not null)
        {
            info.ArgumentList.Add("--store");
            info.ArgumentList.Add(store);
        }
        if (!fleet)
            info.ArgumentList.Add("--no-fleet");
        if (hold)
            info.ArgumentList.Add("--hold");
        var process = Process.Start(info) ?? throw new BenchSetupException("could not start the controller process");
        var child = new ControllerChild(process);
        await child.ExpectAsync(hold ? "holding" : "ready");
        return child;
    }

    /// <summary>Starts the controller of a child started with <c>hold</c>; returns once it is started.</summary>
    public async Task GoAsync()
    {
        await _process.StandardInput.WriteLineAsync("go");
        await _process.StandardInput.FlushAsync();
        await ExpectAsync("ready");
    }

    /// <summary>Waits until the controller's history writer has written everything it was given.</summary>
    public async Task FlushAsync()
    {
        await _process.StandardInput.WriteLineAsync("flush");
        await _process.StandardInput.FlushAsync();
        await ExpectAsync("flushed");
    }

    private async Task ExpectAsync(string word)
    {
        var line = await _process.StandardOutput.ReadLineAsync();
        if (line != word)
            throw new InvalidOperationException($"controller process said '{line}' instead of {word}");
    }

    /// <summary>The controller's own counters (dispatched, results by kind, pending).</summary>
    public async Task<IReadOnlyDictionary<string, double>> CountersAsync()
    {
        await _process.StandardInput.WriteLineAsync("counters");
        await _process.StandardInput.FlushAsync();
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
            if (line.StartsWith("counters ", StringComparison.Ordinal))
                return line["counters ".Length..].Split(' ').Select(kv => kv.Split('='))
                    .ToDictionary(kv => kv[0], kv => double.Parse(kv[1], CultureInfo.InvariantCulture));
        throw new InvalidOperationException("controller process ended");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _process.StandardInput.WriteLineAsync("stop");
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
