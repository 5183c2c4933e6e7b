using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Narada.Bench.Fleet;

/// <summary>A real agent process (either build) serving one job server under a given host name.</summary>
internal sealed partial class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _configPath;
    private readonly TaskCompletionSource<double> _selfReported = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AgentProcess(Process process, string configPath)
    {
        _process = process;
        _configPath = configPath;
    }

    public int Pid => _process.Id;

    /// <summary>What the agent itself logged as its start-to-registered time (the NativeAOT host logs it).</summary>
    public Task<double> SelfReportedRegisteredMs => _selfReported.Task;

    public static AgentProcess Start(AgentBuild build, int port, string name, int concurrency)
    {
        var configPath = Path.Combine(Path.GetTempPath(), $"narada-bench-{name}-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(configPath, $"""
            servers: [127.0.0.1:{port}]
            name: {name}
            tags: [bench]
            plugin_dirs: [{RepoLayout.Plugins}]
            concurrency: {concurrency}
            heartbeat_interval: 30s
            """);
        var info = new ProcessStartInfo(build.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in build.Prefix)
            info.ArgumentList.Add(arg);
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(configPath);
        // Same conditions for both builds: no tiered-compilation tweaks, default GC settings of each build.
        var process = Process.Start(info) ?? throw new BenchSetupException($"could not start {build.FileName}");
        var agent = new AgentProcess(process, configPath);
        process.OutputDataReceived += (_, e) => agent.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => agent.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return agent;
    }

    private void OnLine(string? line)
    {
        if (line is null)
            return;
        var match = RegisteredLine().Match(line);
        if (match.Success)
            _selfReported.TrySetResult(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"registered ([0-9.]+) ms after process start")]
    private static partial Regex RegisteredLine();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        File.Delete(_configPath);
    }
}
