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

    public static async Task<ControllerChild> StartAsync(ServerAddress server, string configDirectory, string dataDirectory,
        int connections = 1)
    {
        var self = Environment.ProcessPath ?? throw new BenchSetupException("cannot tell this program's path");
        var info = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            info.ArgumentList.Add(typeof(ControllerChild).Assembly.Location);
        foreach (var arg in new[] { "controller-node", server.ToString(), configDirectory, dataDirectory,
                     connections.ToString(CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new BenchSetupException("could not start the controller process");
        var first = await process.StandardOutput.ReadLineAsync();
        if (first != "ready")
            throw new InvalidOperationException($"controller process said '{first}' instead of ready");
        return new ControllerChild(process);
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
