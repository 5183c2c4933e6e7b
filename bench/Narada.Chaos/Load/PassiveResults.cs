using System.Collections.Concurrent;
using System.Text.Json;
using Narada.Chaos.Processes;

namespace Narada.Chaos.Load;

/// <summary>
/// Passive results (the Mod-Gearman pattern: any host pushes a background job to <c>narada.results</c>), each carrying its
/// job's unique key as its output, and a probe that notes, every few tens of milliseconds, which acknowledged one the
/// controller's API shows: the ledger's view of "results are taken in again".
/// </summary>
public sealed class PassiveResults : IAsyncDisposable
{
    public const string Check = "p";
    public const string Host = "chaos-passive";

    private readonly ConcurrentQueue<(long SeenAt, long AcknowledgedAt)> _seen = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _probe;

    public PassiveResults(ControllerProcess controller, JobLedger ledger) =>
        _probe = Task.Run(() => ProbeAsync(controller, ledger, _stop.Token));

    /// <summary>The envelope for the result with unique key <paramref name="unique"/>.</summary>
    public static byte[] Payload(string unique) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["v"] = 1,
        ["type"] = "passive",
        ["host"] = Host,
        ["name"] = Check,
        ["status"] = 0,
        ["output"] = Output(unique),
    });

    /// <summary>What the store holds as the output of that result.</summary>
    public static string Output(string unique) => "seq " + unique;

    public bool AnyShown => !_seen.IsEmpty;

    /// <summary>When the API first showed a result acknowledged after <paramref name="ms"/>, if it has.</summary>
    public long? FirstShownAfter(long ms) => _seen.Where(s => s.AcknowledgedAt > ms).Select(s => (long?)s.SeenAt).Min();

    private async Task ProbeAsync(ControllerProcess controller, JobLedger ledger, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            foreach (var output in await controller.OutputsAsync(Check))
                if (output.StartsWith("seq ", StringComparison.Ordinal) && ledger.AcknowledgedAt(output[4..]) is { } at)
                    _seen.Enqueue((Clock.NowMs, at));
            try
            {
                await Task.Delay(25, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _probe;
        _stop.Dispose();
    }
}
