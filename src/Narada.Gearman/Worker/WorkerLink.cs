using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Narada.Gearman.Protocol;
using Narada.Gearman.Transport;

namespace Narada.Gearman.Worker;

/// <summary>
/// One live connection of a worker session. The read loop only sorts packets: grab replies and wake-ups go, in wire
/// order, to the session's grab loop through a channel; errors are logged; nothing runs jobs on the read loop.
/// </summary>
internal sealed class WorkerLink : IAsyncDisposable
{
    private static readonly Packet Wake = Packet.Create(PacketMagic.Response, PacketType.Noop, ReadOnlyMemory<byte>.Empty);

    private readonly Channel<Packet> _replies = Channel.CreateUnbounded<Packet>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private readonly CancellationTokenSource _jobs = new();
    private readonly CancellationTokenSource _closed = new();
    private readonly ServerAddress _server;
    private readonly ILogger _logger;
    private GearmanConnection? _connection;
    private TaskCompletionSource? _echo;
    private volatile bool _hasAnswered;

    private WorkerLink(ServerAddress server, ILogger logger)
    {
        _server = server;
        _logger = logger;
    }

    public GearmanConnection Connection => _connection!;

    /// <summary>Grab replies (NO_JOB, JOB_ASSIGN_UNIQ) and NOOPs in wire order; completes when the connection ends.</summary>
    public ChannelReader<Packet> Replies => _replies.Reader;

    /// <summary>Cancelled when the connection ends or the stop deadline passes: the token jobs of this link get.</summary>
    public CancellationToken JobsToken => _jobs.Token;

    /// <summary>True once the server sent any packet: it speaks Gearman, not merely accepts connections.</summary>
    public bool HasAnswered => _hasAnswered;

    /// <summary>Cancelled when the connection ends.</summary>
    public CancellationToken ClosedToken => _closed.Token;

    public static async Task<WorkerLink> ConnectAsync(ServerAddress server, GearmanWorkerOptions options, ILogger logger,
        CancellationToken cancellationToken)
    {
        var link = new WorkerLink(server, logger);
        link._connection = await GearmanConnection.ConnectAsync(server, link.OnPacketAsync, options.Limits,
            options.ConnectTimeout, options.Tls, cancellationToken);
        _ = link._connection.Completion.ContinueWith(static (ended, state) => ((WorkerLink)state!).OnClosed(ended), link,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return link;
    }

    /// <summary>Makes a sleeping grab loop try again, e.g. after a new function was registered.</summary>
    public void WakeUp() => _replies.Writer.TryWrite(Wake);

    /// <summary>Cancels the tokens of the jobs that came on this link.</summary>
    public void CancelJobs()
    {
        try
        {
            _jobs.Cancel();
        }
        catch (AggregateException)
        {
            // a handler's cancellation callback threw; the job reports its own outcome
        }
    }

    /// <summary>
    /// Round-trips an ECHO_REQ: when its answer arrives the server has read everything sent before it. Gives up
    /// quietly after <paramref name="timeout"/> or when the connection is gone.
    /// </summary>
    public async ValueTask DrainAsync(TimeSpan timeout)
    {
        var echo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _echo, echo);
        try
        {
            await Connection.SendAsync(PacketType.EchoReq, ReadOnlyMemory<byte>.Empty);
            await echo.Task.WaitAsync(timeout, _closed.Token);
        }
        catch (Exception e) when (e is GearmanConnectionException or ObjectDisposedException or TimeoutException
            or OperationCanceledException)
        {
            // nothing more can be delivered on this connection anyway
        }
    }

    private ValueTask OnPacketAsync(Packet packet)
    {
        _hasAnswered = true;
        switch (packet.Type)
        {
            case PacketType.Noop:
            case PacketType.NoJob:
            case PacketType.JobAssignUniq:
            case PacketType.JobAssign:
                _replies.Writer.TryWrite(packet);
                break;
            case PacketType.Error:
                Log.WorkerServerError(_logger, _server, packet.ArgumentString(0), packet.ArgumentString(1));
                break;
            case PacketType.EchoRes:
                Volatile.Read(ref _echo)?.TrySetResult();
                break;
            default:
                Log.WorkerUnexpectedPacket(_logger, _server, packet.Type);
                break;
        }
        return ValueTask.CompletedTask;
    }

    private void OnClosed(Task ended)
    {
        _replies.Writer.TryComplete(ended.Exception?.InnerException
            ?? new GearmanConnectionException(_server, "connection closed"));
        _closed.Cancel();
        CancelJobs();
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
