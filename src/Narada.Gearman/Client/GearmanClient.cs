using Narada.Gearman.Transport;

namespace Narada.Gearman.Client;

/// <summary>
/// A Gearman client over one pipelined connection per server: many jobs in flight at once, jobs with a unique routed to
/// the server its hash picks (failing over along the list), jobs without one to the first reachable server.
/// </summary>
public sealed partial class GearmanClient : IAsyncDisposable
{
    private readonly ServerSlot[] _slots;
    private readonly FunctionNames _functions = new();

    public GearmanClient(GearmanClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Servers.Count == 0)
            throw new ArgumentException("at least one job server is needed", nameof(options));
        Options = options;
        _slots = options.Servers.Select(s => new ServerSlot(s, options)).ToArray();
    }

    /// <summary>A client for the servers in <c>GEARMAN_SERVER</c> (or the local default).</summary>
    public GearmanClient() : this(GearmanClientOptions.Default)
    {
    }

    /// <summary>The settings this client was made with.</summary>
    public GearmanClientOptions Options { get; }

    /// <summary>
    /// Runs <paramref name="attempt"/> on the session of the server at <paramref name="start"/>, moving on along the list
    /// when a server cannot be reached or its connection breaks before the reply. Servers marked down are tried last.
    /// </summary>
    private async ValueTask<TResult> WithFailoverAsync<TState, TResult>(int start, TState state,
        Func<ClientSession, TState, CancellationToken, ValueTask<TResult>> attempt, CancellationToken cancellationToken)
    {
        List<GearmanConnectionException>? errors = null;
        bool[]? tried = null;
        int count = _slots.Length;
        for (int pass = 0; pass < 2; pass++)
        {
            for (int i = 0; i < count; i++)
            {
                int index = (start + i) % count;
                var slot = _slots[index];
                if (pass == 0 ? slot.IsMarkedDown : tried?[index] == true)
                    continue;
                try
                {
                    var session = await slot.GetSessionAsync(cancellationToken);
                    return await attempt(session, state, cancellationToken);
                }
                catch (GearmanConnectionException e)
                {
                    (errors ??= []).Add(e);
                    (tried ??= new bool[count])[index] = true;
                }
            }
        }
        var reasons = string.Join("; ", errors!.Select(e => e.Message));
        throw new GearmanConnectionException(_slots[start].Address, $"no job server could take the request ({reasons})",
            new AggregateException(errors!));
    }

    /// <summary>Index of the first server for a unique key: hashed as the Perl client does, or the first server without one.</summary>
    private int ServerIndexFor(string? unique, ReadOnlySpan<byte> uniqueBytes, ReadOnlySpan<byte> payload)
    {
        if (_slots.Length == 1 || string.IsNullOrEmpty(unique))
            return 0;
        return UniqueHash.ServerIndex(unique == "-" ? payload : uniqueBytes, _slots.Length);
    }

    private ServerSlot SlotFor(ServerAddress server) =>
        Array.Find(_slots, s => s.Address == server)
        ?? throw new ArgumentException($"{server} is not one of this client's servers", nameof(server));

    public async ValueTask DisposeAsync()
    {
        foreach (var slot in _slots)
            await slot.DisposeAsync();
    }
}
