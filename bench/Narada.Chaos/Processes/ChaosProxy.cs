using System.Net;
using System.Net.Sockets;

namespace Narada.Chaos.Processes;

/// <summary>
/// A TCP proxy on loopback between peers and a job server, that the harness turns into a bad network: cut every
/// connection (a reset both ways), delay every chunk, or black-hole the link (nothing passes either way and new
/// connections hang, as when a route disappears; what was in flight passes once it heals, as TCP retransmits it).
/// </summary>
public sealed class ChaosProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(Socket A, Socket B)> _links = [];
    private readonly Task _accepting;
    private TaskCompletionSource _open = Opened();
    private long _delayTicks;

    public ChaosProxy(int targetPort)
    {
        _target = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(512);
        _accepting = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections forwarded now.</summary>
    public int Connections
    {
        get { lock (_links) return _links.Count; }
    }

    /// <summary>Resets every connection through the proxy; new ones are let through at once.</summary>
    public void CutAll()
    {
        lock (_links)
        {
            foreach (var (a, b) in _links)
            {
                Reset(a);
                Reset(b);
            }
            _links.Clear();
        }
    }

    /// <summary>Holds every chunk this long before passing it on (zero: none).</summary>
    public void Delay(TimeSpan delay) => Interlocked.Exchange(ref _delayTicks, delay.Ticks);

    /// <summary>Nothing passes until <see cref="Heal"/>.</summary>
    public void BlackHole()
    {
        lock (_links)
        {
            if (_open.Task.IsCompleted)
                _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Ends a black hole and a delay.</summary>
    public void Heal()
    {
        Delay(TimeSpan.Zero);
        lock (_links)
            _open.TrySetResult();
    }

    private Task Passable
    {
        get { lock (_links) return _open.Task; }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => LinkAsync(client));
        }
    }

    private async Task LinkAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        try
        {
            await Passable.WaitAsync(_stop.Token);
            await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            Reset(client);
            server.Dispose();
            return;
        }
        lock (_links)
            _links.Add((client, server));
        await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        lock (_links)
            _links.Remove((client, server));
        Reset(client);
        Reset(server);
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                await Passable.WaitAsync(_stop.Token);
                int n = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (n == 0)
                    return;
                if (Interlocked.Read(ref _delayTicks) is > 0 and var ticks)
                    await Task.Delay(TimeSpan.FromTicks(ticks), _stop.Token);
                await Passable.WaitAsync(_stop.Token);
                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0); // close with RST, as a dropped route's far side answers
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        socket.Dispose();
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        CutAll();
        _stop.Dispose();
    }
}
