using System.Globalization;
using System.Text.Json;
using Narada.Testing;

namespace Narada.Chaos.Processes;

/// <summary><c>narada server</c> (SQLite store in a data directory of its own) against an external job server, that a
/// scenario kills and starts again on the same store and HTTP port.</summary>
public sealed class ControllerProcess : IAsyncDisposable
{
    private readonly string[] _args;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private ExternalProcess? _process;

    public ControllerProcess(string jobServer, string configDirectory, string dataDirectory)
    {
        HttpPort = FreePort.Next();
        DataDirectory = dataDirectory;
        _args = ["server", "--server", jobServer, "--config", configDirectory, "--data", dataDirectory,
            "--http", $"127.0.0.1:{HttpPort.ToString(CultureInfo.InvariantCulture)}"];
    }

    public int HttpPort { get; }
    public string DataDirectory { get; }
    public int Pid => _process?.Id ?? 0;

    public async Task StartAsync() => _process = await NaradaProgram.StartListeningAsync(_args, HttpPort);

    public async Task KillAsync()
    {
        if (_process is not null)
            await _process.DisposeAsync();
        _process = null;
    }

    /// <summary>Ctrl-C: the controller stops cleanly (its history written out); SIGKILL after 30 s.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
            return;
        using (var kill = System.Diagnostics.Process.Start("/bin/kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        try
        {
            await _process.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
        }
        await KillAsync();
    }

    /// <summary>The output of each check state the API shows for <paramref name="check"/>, or none while it does not answer.</summary>
    public async Task<IReadOnlyList<string>> OutputsAsync(string check)
    {
        try
        {
            using var doc = JsonDocument.Parse(await _http.GetStringAsync($"http://127.0.0.1:{HttpPort}/api/checks?check={check}"));
            return [.. doc.RootElement.EnumerateArray().Select(e => e.GetProperty("output").GetString() ?? "")];
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return [];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _http.Dispose();
    }
}
