using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Narada.Controller.Metrics;
using Narada.Core.Definitions;
using Narada.Core.Execution;

namespace Narada.Controller.Handlers;

/// <summary>How one handler run ended.</summary>
public sealed record HandlerOutcome(string Handler, bool Succeeded, string Detail);

/// <summary>
/// Runs the handlers a check names when its state changes: exec handlers get the event as JSON on stdin and as
/// NARADA_* variables (no shell, the agents' minimal environment, output capped, their process group killed at their
/// timeout), webhook handlers get it as an HTTP POST with retries. Filters and silences decide first.
/// </summary>
public sealed class HandlerRunner(ControllerMetrics metrics, ILogger logger, HttpClient? http = null, IProcessExecutor? executor = null)
    : IAsyncDisposable
{
    // Kept of a handler's stdout and of its stderr each, for its outcome: enough for an error message, not a flood.
    private const long OutputKept = 16 * 1024;

    private readonly HttpClient _http = http ?? new HttpClient();
    private readonly IProcessExecutor _executor = executor ?? new ProcessExecutor();
    private readonly BackgroundWork _runs = new((what, e) => Log.HandlerFailed(logger, what, e.Message));

    /// <summary>Raised after every run, for history and tests that wait on real handler processes.</summary>
    public event Action<HandlerOutcome>? Completed;

    /// <summary>Runs every handler of <paramref name="handlers"/> whose filter admits the event, in the background; a
    /// run still going at <see cref="DisposeAsync"/> is cancelled (its process killed) and waited for. Returns how many
    /// it started.</summary>
    public int Fire(IEnumerable<HandlerDefinition> handlers, HandlerEvent e, bool hard, int occurrence)
    {
        int started = 0;
        foreach (var handler in handlers)
        {
            if (!handler.Filter.Allows(e.State, hard, occurrence))
                continue;
            started++;
            _runs.Start(handler.Name, async stop =>
            {
                var outcome = await RunAsync(handler, e, stop);
                metrics.HandlerRuns.WithLabels(handler.Name, outcome.Succeeded ? "ok" : "failed").Inc();
                if (!outcome.Succeeded)
                    Log.HandlerFailed(logger, handler.Name, outcome.Detail);
                Completed?.Invoke(outcome);
            });
        }
        return started;
    }

    public async Task<HandlerOutcome> RunAsync(HandlerDefinition handler, HandlerEvent e, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(e, HandlerJsonContext.Default.HandlerEvent);
        try
        {
            if (handler.Exec is { Count: > 0 } argv)
                return await ExecAsync(handler, argv, e, json, cancellationToken);
            if (handler.Webhook is { } webhook)
                return await PostAsync(handler, webhook, json, cancellationToken);
            return new HandlerOutcome(handler.Name, false, "handler has neither exec nor webhook");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HandlerOutcome(handler.Name, false, ex.Message);
        }
    }

    private async Task<HandlerOutcome> ExecAsync(HandlerDefinition handler, IReadOnlyList<string> argv, HandlerEvent e,
        string json, CancellationToken cancellationToken)
    {
        var result = await _executor.RunAsync(new ProcessSpec
        {
            Executable = argv[0],
            Arguments = [.. argv.Skip(1)],
            Environment = new Dictionary<string, string>
            {
                ["NARADA_CHECK"] = e.Check,
                ["NARADA_HOST"] = e.Host,
                ["NARADA_STATE"] = e.State,
                ["NARADA_EVENT"] = e.Event,
            },
            Stdin = Encoding.UTF8.GetBytes(json),
            Timeout = handler.Timeout,
            OutputCap = OutputKept,
        }, cancellationToken);
        if (result.StartError is { } error)
            return new HandlerOutcome(handler.Name, false, error);
        if (result.TimedOut)
            return new HandlerOutcome(handler.Name, false, $"timed out after {Duration.Format(handler.Timeout)} and was killed");
        var output = (result.Stdout + result.Stderr).Trim();
        return result.ExitCode == 0
            ? new HandlerOutcome(handler.Name, true, output)
            : new HandlerOutcome(handler.Name, false, $"exit code {result.ExitCode}: {output}");
    }

    private async Task<HandlerOutcome> PostAsync(HandlerDefinition handler, WebhookTarget webhook, string json,
        CancellationToken cancellationToken)
    {
        string last = "";
        for (int attempt = 0; attempt <= webhook.Retries; attempt++)
        {
            if (attempt > 0)
                await Task.Delay(TimeSpan.FromMilliseconds(200 * (1 << Math.Min(attempt, 5))), cancellationToken);
            using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url)
            {
                Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
            };
            foreach (var (name, value) in webhook.Headers)
                request.Headers.TryAddWithoutValidation(name, value);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(webhook.Timeout);
            try
            {
                using var response = await _http.SendAsync(request, timeout.Token);
                if (response.IsSuccessStatusCode)
                    return new HandlerOutcome(handler.Name, true, $"HTTP {(int)response.StatusCode}");
                last = $"HTTP {(int)response.StatusCode}";
                if ((int)response.StatusCode is >= 400 and < 500 and not 429)
                    break; // the receiver rejected the event itself; retrying cannot help
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                last = ex is OperationCanceledException ? $"timed out after {Duration.Format(webhook.Timeout)}" : ex.Message;
            }
        }
        return new HandlerOutcome(handler.Name, false, $"webhook {webhook.Url} failed: {last}");
    }

    /// <summary>Handler runs not yet ended.</summary>
    public int Running => _runs.Count;

    public ValueTask DisposeAsync() => _runs.DisposeAsync();
}
