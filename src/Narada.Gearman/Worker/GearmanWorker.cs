using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Narada.Gearman.Protocol;
using Narada.Gearman.Transport;

namespace Narada.Gearman.Worker;

/// <summary>A Gearman worker: serves registered functions on every configured job server at once.</summary>
public sealed partial class GearmanWorker : IAsyncDisposable
{
    private readonly GearmanWorkerOptions _options;
    private readonly ILogger _logger;
    private readonly byte[]? _clientId;
    private readonly Lock _abilitiesLock = new();
    // Serialises every ability send (registration after connect, Register, Unregister) so each connection ends up
    // with the latest state even when they race.
    private readonly SemaphoreSlim _registration = new(1, 1);
    private readonly TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Dictionary<string, WorkerAbility> _abilities = new(StringComparer.Ordinal);
    private WorkerSession[] _sessions = [];

    public GearmanWorker(GearmanWorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = options.Logger ?? NullLogger.Instance;
        // gearmand shows at most 127 bytes of it
        _clientId = options.ClientId is null ? null : Encoding.UTF8.GetBytes(options.ClientId);
        Slots = new SemaphoreSlim(options.Concurrency, options.Concurrency);
    }

    /// <summary>The options this worker runs with.</summary>
    public GearmanWorkerOptions Options => _options;

    /// <summary>Completes when the first connection has sent its client id and abilities.</summary>
    public Task Registered => _registered.Task;

    /// <summary>Jobs reported WORK_COMPLETE.</summary>
    public long JobsCompleted => Interlocked.Read(ref _jobsCompleted);

    /// <summary>Jobs reported WORK_FAIL or WORK_EXCEPTION (including those cancelled at the stop deadline).</summary>
    public long JobsFailed => Interlocked.Read(ref _jobsFailed);

    /// <summary>Handlers running right now.</summary>
    public int JobsRunning => Volatile.Read(ref _jobsRunning);

    /// <summary>The global concurrency slots: one is taken before each grab and held until that job ends.</summary>
    internal SemaphoreSlim Slots { get; }

    /// <summary>
    /// Serves <paramref name="function"/> with <paramref name="handler"/> (CAN_DO, or CAN_DO_TIMEOUT when a timeout is
    /// given, after which the server gives the job to someone else). Allowed before and while running; registering a
    /// name again replaces its handler.
    /// </summary>
    public void Register(string function, JobHandler handler, TimeSpan? timeout = null)
    {
        WorkerAbility.CheckName(function);
        WorkerAbility.CheckTimeout(timeout);
        ArgumentNullException.ThrowIfNull(handler);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var ability = new WorkerAbility(function, handler, timeout);
        lock (_abilitiesLock)
        {
            var copy = new Dictionary<string, WorkerAbility>(_abilities, StringComparer.Ordinal) { [function] = ability };
            Volatile.Write(ref _abilities, copy);
        }
        _ = SendAbilityAsync(function);
    }

    /// <summary>Stops serving <paramref name="function"/> (CANT_DO on every connection).</summary>
    public void Unregister(string function)
    {
        WorkerAbility.CheckName(function);
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_abilitiesLock)
        {
            if (!_abilities.ContainsKey(function))
                return;
            var copy = new Dictionary<string, WorkerAbility>(_abilities, StringComparer.Ordinal);
            copy.Remove(function);
            Volatile.Write(ref _abilities, copy);
        }
        _ = SendAbilityAsync(function);
    }

    /// <summary>Publishes a fresh connection and sends it the client id and every ability.</summary>
    internal async Task AttachAsync(WorkerSession session, WorkerLink link)
    {
        await _registration.WaitAsync();
        try
        {
            session.Publish(link);
            if (_clientId is not null)
                await link.Connection.SendAsync(PacketType.SetClientId, _clientId);
            foreach (var ability in Volatile.Read(ref _abilities).Values)
                await ability.SendCanDoAsync(link.Connection);
        }
        finally
        {
            _registration.Release();
        }
        _registered.TrySetResult();
    }

    /// <summary>Tells every live connection the current state of <paramref name="function"/>.</summary>
    private async Task SendAbilityAsync(string function)
    {
        await _registration.WaitAsync();
        try
        {
            Volatile.Read(ref _abilities).TryGetValue(function, out var ability);
            foreach (var session in Volatile.Read(ref _sessions))
            {
                if (session.Link is not { } link)
                    continue; // it sends every ability when it connects
                try
                {
                    if (ability is null)
                    {
                        await WorkerAbility.SendCantDoAsync(link.Connection, function);
                    }
                    else
                    {
                        await ability.SendCanDoAsync(link.Connection);
                        // a sleeping connection is not woken for jobs already queued under the new name
                        link.WakeUp();
                    }
                }
                catch (Exception e) when (e is GearmanConnectionException or ObjectDisposedException)
                {
                    Log.WorkerSendFailed(_logger, session.Server, ability is null ? "CANT_DO" : "CAN_DO", e);
                }
            }
        }
        finally
        {
            _registration.Release();
        }
    }

    private WorkerAbility? FindAbility(ReadOnlySpan<byte> function)
    {
        // Packet.Create already refused names over the limit, and UTF-8 never decodes to more chars than bytes.
        Span<char> chars = stackalloc char[PacketLimits.MaxFunctionLength];
        int length = Encoding.UTF8.GetChars(function, chars);
        var lookup = Volatile.Read(ref _abilities).GetAlternateLookup<ReadOnlySpan<char>>();
        return lookup.TryGetValue(chars[..length], out var ability) ? ability : null;
    }
}
