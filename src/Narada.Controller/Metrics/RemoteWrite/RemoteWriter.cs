using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Narada.Core.Metrics;

namespace Narada.Controller.Metrics.RemoteWrite;

/// <summary>Where and how often the controller pushes the fleet's series by Prometheus remote write.</summary>
public sealed record RemoteWriteTarget(Uri Url)
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>A file holding a bearer token for the receiver (read at each send, so a rotated token is picked up).</summary>
    public string? BearerTokenFile { get; init; }

    /// <summary>Series per request (Prometheus' own default is 2,000 per shard send).</summary>
    public int MaxSamplesPerSend { get; init; } = 2000;

    /// <summary>Samples held while the receiver is away; beyond it the oldest are dropped (and counted).</summary>
    public int MaxPendingSamples { get; init; } = 500_000;
}

/// <summary>
/// Pushes what /metrics shows of the fleet (check states, agents, the agents' series) to a remote-write receiver
/// every <see cref="RemoteWriteTarget.Interval"/>: snapshots go into a bounded queue of batches, sent oldest first;
/// a receiver that is away or answers 5xx/429 is retried with backoff (the queue keeps filling, and drops its oldest
/// batches past <see cref="RemoteWriteTarget.MaxPendingSamples"/>); a 4xx other than 429 drops that batch, as
/// Prometheus does, since sending it again cannot help. In a cluster only the leader pushes.
/// </summary>
public sealed class RemoteWriter : IAsyncDisposable
{
    private readonly RemoteWriteTarget _target;
    private readonly Func<IEnumerable<Sample>> _collect;
    private readonly Func<bool> _active;
    private readonly ControllerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly LinkedList<byte[]> _pending = new(); // compressed batches, oldest first
    private readonly LinkedList<int> _pendingCounts = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _pendingSamples;
    private TimeSpan _backoff = TimeSpan.Zero;

    public RemoteWriter(RemoteWriteTarget target, Func<IEnumerable<Sample>> collect, Func<bool> active, ControllerMetrics metrics,
        ILogger logger, HttpClient? http = null)
    {
        _target = target;
        _collect = collect;
        _active = active;
        _metrics = metrics;
        _logger = logger;
        _http = http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        _loop = Task.Run(LoopAsync);
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(_target.Interval);
        try
        {
            do
            {
                if (_active())
                    Enqueue(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                await DrainAsync(_stop.Token);
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Takes a snapshot into the queue, in batches; drops the oldest batches past the bound.</summary>
    private void Enqueue(long nowMs)
    {
        foreach (var batch in _collect().Chunk(_target.MaxSamplesPerSend))
        {
            _pending.AddLast(RemoteWriteEncoder.Compress(RemoteWriteEncoder.Encode(batch, nowMs)));
            _pendingCounts.AddLast(batch.Length);
            _pendingSamples += batch.Length;
        }
        while (_pendingSamples > _target.MaxPendingSamples && _pending.Count > 1)
        {
            _metrics.RemoteWriteDropped.Inc(_pendingCounts.First!.Value);
            Drop();
        }
        _metrics.RemoteWritePending.Set(_pendingSamples);
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        while (_pending.First is { } next)
        {
            if (_backoff > TimeSpan.Zero)
                await Task.Delay(_backoff, cancellationToken);
            var outcome = await SendAsync(next.Value, cancellationToken);
            if (outcome == Outcome.Retry)
            {
                _backoff = _backoff == TimeSpan.Zero ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, _target.Interval.Ticks));
                return; // the next tick tries again, after the backoff
            }
            _backoff = TimeSpan.Zero;
            if (outcome == Outcome.Sent)
                _metrics.RemoteWriteSamples.Inc(_pendingCounts.First!.Value);
            else
                _metrics.RemoteWriteDropped.Inc(_pendingCounts.First!.Value);
            Drop();
            _metrics.RemoteWritePending.Set(_pendingSamples);
        }
    }

    private enum Outcome
    {
        Sent,
        Retry,
        Rejected,
    }

    private async Task<Outcome> SendAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _target.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        request.Content.Headers.ContentEncoding.Add("snappy");
        request.Headers.Add("X-Prometheus-Remote-Write-Version", "0.1.0");
        request.Headers.UserAgent.ParseAdd("narada-controller");
        try
        {
            if (_target.BearerTokenFile is { } file)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(file, cancellationToken)).Trim());
            using var response = await _http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
                return Outcome.Sent;
            var code = (int)response.StatusCode;
            _metrics.RemoteWriteFailures.WithLabels(code >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests ? "retried" : "rejected").Inc();
            var why = await response.Content.ReadAsStringAsync(cancellationToken);
            Log.RemoteWriteFailed(_logger, _target.Url.ToString(), $"HTTP {code}: {why.Trim()}");
            return code >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests ? Outcome.Retry : Outcome.Rejected;
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            _metrics.RemoteWriteFailures.WithLabels("retried").Inc();
            Log.RemoteWriteFailed(_logger, _target.Url.ToString(), e.Message);
            return Outcome.Retry;
        }
    }

    private void Drop()
    {
        _pendingSamples -= _pendingCounts.First!.Value;
        _pending.RemoveFirst();
        _pendingCounts.RemoveFirst();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _http.Dispose();
    }
}
