using System.Net.Http.Json;
using System.Text.Json;

namespace Narada.Testing;

/// <summary>A real Prometheus server (Debian's prometheus package) scraping one target every second, for one test.</summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly ExternalProcess _process;
    private readonly string _directory;
    private readonly HttpClient _http;

    private PrometheusServer(ExternalProcess process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
    }

    /// <summary>
    /// Starts Prometheus scraping <paramref name="target"/> (host:port, path /metrics) as job <paramref name="job"/>,
    /// evaluating <paramref name="ruleFiles"/> every second.
    /// </summary>
    public static Task<PrometheusServer> StartAsync(string target, string job = "narada", params string[] ruleFiles) =>
        StartAsync([new ScrapeJob(job, target)], ruleFiles);

    /// <summary>Starts Prometheus scraping each of <paramref name="jobs"/> every second.</summary>
    public static Task<PrometheusServer> StartAsync(IReadOnlyList<ScrapeJob> jobs, params string[] ruleFiles) => LaunchAsync(jobs, [], ruleFiles);

    /// <summary>Starts Prometheus with no scrape jobs, taking samples by remote write at <see cref="RemoteWriteUrl"/>.</summary>
    public static Task<PrometheusServer> StartReceiverAsync() => LaunchAsync([], ["--web.enable-remote-write-receiver"], []);

    /// <summary>Where this Prometheus takes remote writes (when started by <see cref="StartReceiverAsync"/>).</summary>
    public Uri RemoteWriteUrl => new(_http.BaseAddress!, "api/v1/write");

    private static async Task<PrometheusServer> LaunchAsync(IReadOnlyList<ScrapeJob> jobs, IReadOnlyList<string> flags, string[] ruleFiles)
    {
        var directory = Directory.CreateTempSubdirectory("narada-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        var rules = string.Concat(ruleFiles.Select(f => $"\n  - \"{f}\""));
        var scrapes = string.Concat(jobs.Select(j => $"""

              - job_name: {j.Name}
                static_configs:
                  - targets: ["{j.Target}"]
            """ + (j.BearerTokenFile is null ? "" : $"""

                authorization:
                  type: Bearer
                  credentials_file: "{j.BearerTokenFile}"
            """)));
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:{(ruleFiles.Length == 0 ? " []" : rules)}
            scrape_configs:{(jobs.Count == 0 ? " []" : scrapes)}
            """);
        int port = FreePort.Next();
        var process = ExternalProcess.Start(RequiredTool.Path("prometheus", "prometheus"),
        [
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn", .. flags,
        ]);
        await GearmandServer.WaitForListenerAsync(port, () => process.HasExited ? $"prometheus exited: {process.Stderr}" : null,
            TimeSpan.FromSeconds(30));
        return new PrometheusServer(process, directory, port);
    }

    /// <summary>Runs an instant PromQL query and returns the result vector.</summary>
    public async Task<JsonElement[]> QueryAsync(string promql)
    {
        var answer = await _http.GetFromJsonAsync<JsonElement>($"api/v1/query?query={Uri.EscapeDataString(promql)}");
        if (answer.GetProperty("status").GetString() != "success")
            throw new InvalidOperationException($"prometheus query failed: {answer}");
        return answer.GetProperty("data").GetProperty("result").EnumerateArray().ToArray();
    }

    /// <summary>The alerts Prometheus holds (pending or firing), from /api/v1/alerts.</summary>
    public async Task<JsonElement[]> AlertsAsync()
    {
        var answer = await _http.GetFromJsonAsync<JsonElement>("api/v1/alerts");
        if (answer.GetProperty("status").GetString() != "success")
            throw new InvalidOperationException($"prometheus alerts failed: {answer}");
        return answer.GetProperty("data").GetProperty("alerts").EnumerateArray().ToArray();
    }

    /// <summary>Each scrape target's job, health ("up", "down", "unknown") and last scrape error, from /api/v1/targets.</summary>
    public async Task<(string Job, string Health, string LastError)[]> TargetsAsync()
    {
        var answer = await _http.GetFromJsonAsync<JsonElement>("api/v1/targets");
        return [.. answer.GetProperty("data").GetProperty("activeTargets").EnumerateArray().Select(t => (
            t.GetProperty("labels").GetProperty("job").GetString()!, t.GetProperty("health").GetString()!, t.GetProperty("lastError").GetString()!))];
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>One scrape job: its name, host:port target (path /metrics) and optionally a file holding a bearer token.</summary>
public sealed record ScrapeJob(string Name, string Target, string? BearerTokenFile = null);
