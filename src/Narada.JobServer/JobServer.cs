using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Narada.JobServer.Engine;
using Narada.JobServer.Metrics;
using Narada.JobServer.Persistence;
using Narada.JobServer.Security;
using Narada.JobServer.Sessions;
using Narada.JobServer.Sessions.Loop;
using Prometheus;

namespace Narada.JobServer;

/// <summary>
/// A gearmand-compatible Gearman job server: binary and text admin protocol on one port, optional SQLite queue and
/// /metrics. On Linux x86-64 plain binary connections are read by one event loop per core
/// (<see cref="Sessions.Loop.EventLoop"/>); TLS and admin connections, and every connection elsewhere, by async sessions
/// on the thread pool.
/// </summary>
public sealed class JobServer : IAsyncDisposable
{
    private readonly JobServerOptions _options;
    private readonly ILogger _logger;
    private readonly JobServerMetrics _metrics = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, byte> _connections = new();
    private Socket[] _listeners = [];
    private JobEngine? _engine;
    private SqliteJobStore? _store;
    private ConnectionSecurity? _security;
    private MetricServer? _metricServer;
    private EventLoops? _loops;
    private Task _acceptLoops = Task.CompletedTask;
    private int _connectionLimit;

    // Below this many connections a tight open-file limit is worth a warning: the fleet size the server is built for.
    private const int WarnBelowConnections = 10_000;

    // How long accept rests when the process is out of descriptors: the connection stays queued, so an immediate retry
    // would fail again at once and spin.
    private static readonly TimeSpan AcceptBackoff = TimeSpan.FromMilliseconds(100);
    private int _state;

    public JobServer(JobServerOptions options, ILoggerFactory? loggerFactory = null)
    {
        if (options.ListenAddresses.Count == 0)
            throw new ArgumentException("no address to listen on", nameof(options));
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Narada.JobServer");
    }

    /// <summary>Where the server listens (the real port when <see cref="JobServerOptions.Port"/> was 0); valid after start.
    /// With several listen addresses, the first one's.</summary>
    public IPEndPoint Endpoint => Endpoints.Count > 0 ? Endpoints[0] : new(IPAddress.None, 0);

    /// <summary>Every address the server listens on, in the order of <see cref="JobServerOptions.ListenAddresses"/>.</summary>
    public IReadOnlyList<IPEndPoint> Endpoints { get; private set; } = [];

    /// <summary>The metrics URL when a metrics port was configured.</summary>
    public Uri? MetricsUri { get; private set; }

    /// <summary>Version reported to <c>gearadmin --server-version</c>.</summary>
    public static string Version =>
        typeof(JobServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>Opens the queue, restores stored jobs, binds and starts accepting.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _state, 1) != 0)
            throw new InvalidOperationException("the job server was already started");
        if (_options.Problems().FirstOrDefault() is { } problem)
            throw new ArgumentException(problem);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<StoredJob> stored = [];
        try
        {
            _security = ConnectionSecurity.Create(_options, _metrics.Registry, _logger);
            ReportCertificate();
            if (_options.DatabasePath is { } path)
                (_store, stored) = SqliteJobStore.Open(path, _options.GearmandQueueTable, _metrics, _logger);
        }
        catch
        {
            _state = 0; // never started: nothing to stop
            throw;
        }
        string prefix = _options.JobHandlePrefix ?? $"H:{Dns.GetHostName()}";
        _engine = new JobEngine(prefix, _options.JobRetries, _store, _metrics, _logger, _options.Exceptions);
        _engine.Restore(stored);
        if (_options.DatabasePath is not null)
            Log.Restored(_logger, stored.Count, _options.DatabasePath);
        _metrics.Attach(_engine);

        var listeners = new List<Socket>();
        try
        {
            if (EventLoop.IsSupported)
                _loops = new EventLoops(_options.IoLoopCount, _options.BusyPoll, _logger);
            int port = _options.Port;
            SocketException? unavailable = null;
            foreach (var address in _options.ListenAddresses)
            {
                var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                // An IPv6 socket would otherwise take the IPv4 address of the same port too, where an IPv4 listener may sit.
                if (address.AddressFamily == AddressFamily.InterNetworkV6 && _options.ListenAddresses.Count > 1)
                    listener.DualMode = false;
                try
                {
                    listener.Bind(new IPEndPoint(address, port));
                    listener.Listen(_options.Backlog);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported)
                {
                    // As gearmand: a name may resolve to an address this host cannot take (::1 with IPv6 off); the
                    // others still serve, and only when none can is it an error.
                    listener.Dispose();
                    Log.AddressUnavailable(_logger, address.ToString(), e.Message);
                    unavailable ??= e;
                    continue;
                }
                catch
                {
                    listener.Dispose();
                    throw;
                }
                listeners.Add(listener);
                port = ((IPEndPoint)listener.LocalEndPoint!).Port; // port 0: the others take the one the first got
            }
            if (listeners.Count == 0)
                throw unavailable!;
            if (_options.MetricsPort is { } metricsPort)
            {
                // Metrics stay on loopback whatever the Gearman port listens on.
                _metricServer = new MetricServer("127.0.0.1", metricsPort, "metrics/", _metrics.Registry);
                _metricServer.Start();
                MetricsUri = new Uri($"http://127.0.0.1:{metricsPort}/metrics");
            }
        }
        catch
        {
            foreach (var listener in listeners)
                listener.Dispose();
            _loops?.Dispose();
            _loops = null;
            _engine.Dispose();
            if (_store is not null)
                await _store.DisposeAsync();
            _state = 0;
            throw;
        }
        _listeners = [.. listeners];
        Endpoints = [.. listeners.Select(l => (IPEndPoint)l.LocalEndPoint!)];
        // Loaded now: on first use they would need a descriptor, and a flood may leave none (a failed load is final).
        GC.KeepAlive(typeof(System.IO.Pipelines.PipeReader).Assembly);
        GC.KeepAlive(typeof(System.Threading.Channels.Channel).Assembly);
        _connectionLimit = _options.MaxConnections;
        if (DescriptorBudget.Measure(_options.FileDescriptors) is { } budget && budget.Connections < _connectionLimit)
        {
            _connectionLimit = budget.Connections;
            if (budget.Connections < WarnBelowConnections)
                Log.FewDescriptors(_logger, budget.Limit, budget.Connections);
        }
        _metrics.ConnectionLimit(_connectionLimit);
        var admin = new AdminResponder(_engine, Version, _options.Verbose);
        _acceptLoops = Task.WhenAll(_listeners.Select(listener => AcceptLoopAsync(listener, _engine, admin, _security)));
        string loops = _loops is null ? "" : _options.IoLoopCount == 1 ? ", 1 I/O loop" : $", {_options.IoLoopCount} I/O loops";
        Log.Listening(_logger, Listening, loops + (MetricsUri is null ? "" : $", metrics on {MetricsUri}") + _security?.Describe());
        // Loopback (the default) is this host's own business; any other address trusts the network it is on.
        var exposed = Endpoints.Where(e => !IPAddress.IsLoopback(e.Address)).ToArray();
        if (exposed.Length > 0 && _options.Acl is null && _options.Tls is not { RequireClientCertificate: true })
            Log.OpenToTheNetwork(_logger, string.Join(", ", exposed.Select(e => e.ToString())));
    }

    /// <summary>
    /// Takes new TLS certificates and a new ACL from <paramref name="options"/> (the rest of it is ignored), for a
    /// certificate rotation or an ACL edit without dropping a connection: connections accepted from now on handshake
    /// with the new certificates, and every connection's next request is judged by the new ACL (functions a worker has
    /// registered stay registered). Throws, changing nothing, when a file does not load or when the server was started
    /// without TLS or an ACL and the reload would add one, or the other way round.
    /// </summary>
    public void ReloadSecurity(JobServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (_state != 1)
            throw new InvalidOperationException("the job server is not running");
        if (_security is null)
        {
            if (options.Tls is not null || options.Acl is not null)
                throw new InvalidOperationException("a reload does not turn TLS or the ACL on: restart for that");
            return;
        }
        _security.Reload(options);
        ReportCertificate();
        Log.SecurityReloaded(_logger, _security.Describe().TrimStart(',', ' '));
    }

    /// <summary>Stops accepting, closes every connection and flushes the persistent queue.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _state, 2) != 1)
            return;
        _stopping.Cancel();
        foreach (var listener in _listeners)
            listener.Dispose();
        await _acceptLoops.WaitAsync(cancellationToken);
        _loops?.Stop();
        await Task.WhenAll(_connections.Keys).WaitAsync(cancellationToken);
        _loops?.Dispose();
        if (_metricServer is not null)
        {
            try
            {
                await _metricServer.StopAsync();
            }
            catch (Exception e) when (e is System.Net.HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                // HttpListener can fail to let go of its port (seen: "Address already in use" from its own close). The
                // scrape endpoint is gone either way; the queue below must still be flushed and closed.
                Log.MetricsStopFailed(_logger, MetricsUri, e);
            }
        }
        if (_store is not null)
            await _store.DisposeAsync();
        _engine?.Dispose();
        Log.Stopped(_logger, Listening);
    }

    private string Listening => string.Join(", ", Endpoints);

    /// <summary>The served certificate's end on /metrics, at start and after each reload.</summary>
    private void ReportCertificate()
    {
        if (_security?.CertificateNotAfter is { } expires)
            _metrics.CertificateExpires(expires);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listener, JobEngine engine, AdminResponder admin, ConnectionSecurity? security)
    {
        var token = _stopping.Token;
        bool starved = false;
        int refused = 0;
        long lastReport = 0;
        while (!token.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (token.IsCancellationRequested)
                    return;
                if (e is SocketException { SocketErrorCode: SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable })
                {
                    if (!starved)
                        Log.AcceptStarved(_logger, e.Message);
                    starved = true;
                    await Task.Delay(AcceptBackoff, token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
                continue;
            }
            starved = false;
            if (_connections.Count >= _connectionLimit)
            {
                // A flood is reported once a second, not once a connection.
                _metrics.Refused();
                refused++;
                if (Stopwatch.GetElapsedTime(lastReport) >= TimeSpan.FromSeconds(1))
                {
                    Log.TooManyConnections(_logger, refused, RemoteOf(socket), _connections.Count);
                    (refused, lastReport) = (0, Stopwatch.GetTimestamp());
                }
                socket.Dispose();
                continue;
            }
            var task = Task.Run(() => Connection.RunAsync(socket, engine, admin, _options, security, _loops, _logger, token), CancellationToken.None);
            _connections.TryAdd(task, 0);
            _ = task.ContinueWith(t => _connections.TryRemove(t, out _), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private static string RemoteOf(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint?.ToString() ?? "-";
        }
        catch (SocketException)
        {
            return "-"; // already gone
        }
    }
}
