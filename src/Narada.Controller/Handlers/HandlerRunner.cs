using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Narada.Controller.Metrics;
using Narada.Core.Definitions;

namespace Narada.Controller.Handlers;

/// <summary>How one handler run ended.</summary>
public sealed record HandlerOutcome(string Handler, bool Succeeded, string Detail);

/// <summary>
/// Runs the handlers a check names when its state changes: exec handlers get the event as JSON on stdin (no shell,
/// killed at their timeout), webhook handlers get it as an HTTP POST with retries. Filters and silences decide first.
/// </summary>
public sealed class HandlerRunner(ControllerMetrics metrics, ILogger logger, HttpClient? http = null)
{
    private readonly HttpClient _http = http ?? new HttpClient();

    /// <summary>Raised after every run, for history and tests that wait on real handler processes.</summary>
    public event Action<HandlerOutcome>? Completed;

    /// <summary>Runs every handler of <paramref name="handlers"/> whose filter admits the event, in the background.</summary>
    public void Fire(IEnumerable<HandlerDefinition> handlers, HandlerEvent e, bool hard, int occurrence)
    {
        foreach (var handler in handlers)
        {
            if (!handler.Filter.Allows(e.State, hard, occurrence))
                continue;
            _ = Task.Run(async () =>
            {
                var outcome = await RunAsync(handler, e, CancellationToken.None);
                metrics.HandlerRuns.WithLabels(handler.Name, outcome.Succeeded ? "ok" : "failed").Inc();
                if (!outcome.Succeeded)
                    Log.HandlerFailed(logger, handler.Name, outcome.Detail);
                Completed?.Invoke(outcome);
            });
        }
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

    private static async Task<HandlerOutcome> ExecAsync(HandlerDefinition handler, IReadOnlyList<string> argv, HandlerEvent e,
        string json, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(argv[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in argv.Skip(1))
            info.ArgumentList.Add(arg);
        info.Environment["NARADA_CHECK"] = e.Check;
        info.Environment["NARADA_HOST"] = e.Host;
        info.Environment["NARADA_STATE"] = e.State;
        info.Environment["NARADA_EVENT"] = e.Event;

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {argv[0]}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.StandardInput.WriteAsync(json);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // the handler did not read its stdin; its exit code still decides
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(handler.Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            return new HandlerOutcome(handler.Name, false, $"timed out after {Duration.Format(handler.Timeout)} and was killed");
        }
        var output = (await stdout + await stderr).Trim();
        return process.ExitCode == 0
            ? new HandlerOutcome(handler.Name, true, output)
            : new HandlerOutcome(handler.Name, false, $"exit code {process.ExitCode}: {output}");
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
}
