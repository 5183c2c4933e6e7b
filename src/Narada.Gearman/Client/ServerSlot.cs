using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using Narada.Gearman.Transport;

namespace Narada.Gearman.Client;

/// <summary>One server of a client's list: its current session, the connect in progress, and when it is next worth trying.</summary>
internal sealed class ServerSlot : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly GearmanClientOptions _options;
    private ClientSession? _session;
    private Task<ClientSession>? _connecting;
    private long _downUntil;
    private bool _disposed;

    public ServerSlot(ServerAddress address, GearmanClientOptions options)
    {
        Address = address;
        _options = options;
    }

    public ServerAddress Address { get; }

    /// <summary>True while a failed connect is fresher than <see cref="GearmanClientOptions.RetryDownServerAfter"/>.</summary>
    public bool IsMarkedDown => Environment.TickCount64 < Volatile.Read(ref _downUntil);

    /// <summary>The open session, connecting (once, shared by all callers) when there is none.</summary>
    public ValueTask<ClientSession> GetSessionAsync(CancellationToken cancellationToken)
    {
        Task<ClientSession> connecting;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(GearmanClient));
            if (_session is { IsOpen: true } open)
                return ValueTask.FromResult(open);
            connecting = _connecting ??= ConnectAsync();
        }
        return new ValueTask<ClientSession>(connecting.WaitAsync(cancellationToken));
    }

    /// <summary>The open session, if there is one now.</summary>
    public bool TryGetOpenSession([NotNullWhen(true)] out ClientSession? session)
    {
        session = Volatile.Read(ref _session);
        return session is { IsOpen: true };
    }

    private async Task<ClientSession> ConnectAsync()
    {
        await Task.Yield(); // never run the connect under the caller's lock
        try
        {
            var session = await ClientSession.ConnectAsync(Address, _options);
            ClientSession? stale;
            lock (_gate)
            {
                stale = _session;
                _session = session;
                _connecting = null;
                Volatile.Write(ref _downUntil, 0);
            }
            if (stale is not null)
                await stale.DisposeAsync();
            return session;
        }
        catch (Exception e) when (e is SocketException or GearmanConnectionException or IOException or TimeoutException)
        {
            MarkFailed();
            throw new GearmanConnectionException(Address, "cannot connect: " + e.Message, e);
        }
        catch
        {
            MarkFailed();
            throw;
        }
    }

    private void MarkFailed()
    {
        lock (_gate)
        {
            _connecting = null;
            Volatile.Write(ref _downUntil, Environment.TickCount64 + (long)_options.RetryDownServerAfter.TotalMilliseconds);
        }
    }

    public async ValueTask DisposeAsync()
    {
        ClientSession? session;
        Task<ClientSession>? connecting;
        lock (_gate)
        {
            _disposed = true;
            session = _session;
            connecting = _connecting;
            _session = null;
        }
        if (session is not null)
            await session.DisposeAsync();
        if (connecting is not null)
        {
            try
            {
                await (await connecting).DisposeAsync();
            }
            catch (Exception e) when (e is GearmanConnectionException or GearmanServerException or TimeoutException)
            {
                // it never connected; nothing to close
            }
        }
    }
}
