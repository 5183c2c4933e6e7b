using Narada.Core.Contracts;
using Narada.Gearman.Client;
using Narada.Gearman.Transport;

namespace Narada.Bench.Fleet;

/// <summary>Every simulated host's heartbeat, every 30 s, spread evenly: what 10,000 agents send to <c>narada.results</c>.</summary>
internal sealed class HeartbeatStream : IAsyncDisposable
{
    private readonly GearmanClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public HeartbeatStream(ServerAddress server)
    {
        _client = new GearmanClient(new GearmanClientOptions { Servers = [server] });
        _loop = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        var beats = Enumerable.Range(0, SimulatedFleet.Hosts).Select(h => Envelope.Serialize(SimulatedFleet.Heartbeat(h))).ToArray();
        const int TicksPerSecond = 10;
        int perTick = SimulatedFleet.Hosts / 30 / TicksPerSecond + 1;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / TicksPerSecond));
        int next = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var sends = new Task[perTick];
                for (int i = 0; i < perTick; i++, next = (next + 1) % beats.Length)
                    sends[i] = _client.SubmitBackgroundAsync("narada.results", beats[next],
                        new JobOptions { Unique = $"heartbeat@{SimulatedFleet.Host(next)}" }, _stop.Token).AsTask();
                await Task.WhenAll(sends);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await _client.DisposeAsync();
        _stop.Dispose();
    }
}
