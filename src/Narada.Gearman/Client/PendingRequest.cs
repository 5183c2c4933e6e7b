using Narada.Gearman.Protocol;
using Narada.Gearman.Transport;

namespace Narada.Gearman.Client;

/// <summary>A request whose reply comes back in order (JOB_CREATED, STATUS_RES, STATUS_RES_UNIQUE, ECHO_RES, OPTION_RES or ERROR).</summary>
internal sealed class PendingRequest
{
    private readonly TaskCompletionSource<Packet>? _reply;
    private readonly GearmanJob? _reportsTo;
    private readonly int _count;
    private readonly ReadOnlyMemory<byte> _a, _b, _c, _d;

    /// <param name="failsJob">The caller waits for <paramref name="job"/> alone: no reply is kept, and a failure or an
    /// ERROR reply fails the job.</param>
    public PendingRequest(PacketType type, GearmanJob? job, int count,
        ReadOnlyMemory<byte> a, ReadOnlyMemory<byte> b = default, ReadOnlyMemory<byte> c = default, ReadOnlyMemory<byte> d = default,
        bool failsJob = false)
    {
        Type = type;
        Job = job;
        if (failsJob && job is not null)
            _reportsTo = job;
        else
            _reply = new TaskCompletionSource<Packet>(TaskCreationOptions.RunContinuationsAsynchronously);
        _count = count;
        (_a, _b, _c, _d) = (a, b, c, d);
    }

    public PacketType Type { get; }

    /// <summary>The foreground job to start routing WORK_* packets to once JOB_CREATED names its handle.</summary>
    public GearmanJob? Job { get; }

    /// <summary>Set when the caller stopped waiting; a late reply is then ignored.</summary>
    public bool Abandoned { get; set; }

    /// <summary>The in-order reply; not kept for a request that fails its job instead.</summary>
    public Task<Packet> Reply => _reply?.Task ?? throw new InvalidOperationException("this request reports through its job");

    /// <summary>The reply type that answers this request (ERROR answers any).</summary>
    public PacketType ExpectedReply => Type switch
    {
        PacketType.GetStatus => PacketType.StatusRes,
        PacketType.GetStatusUnique => PacketType.StatusResUnique,
        PacketType.EchoReq => PacketType.EchoRes,
        PacketType.OptionReq => PacketType.OptionRes,
        _ => PacketType.JobCreated,
    };

    /// <summary>Writes the request; the caller holds the session's lock, so it is written in the order replies are expected.</summary>
    public void Send(GearmanConnection connection) => connection.Send(Type, _a.Span, _b.Span, _c.Span, _d.Span, _count);

    public void Complete(in Packet reply)
    {
        if (_reportsTo is null)
            _reply!.TrySetResult(reply);
        else if (reply.Type == PacketType.Error)
            _reportsTo.Fail(new GearmanServerException(reply.ArgumentString(0), reply.ArgumentString(1)));
    }

    public void Fail(Exception error)
    {
        if (_reportsTo is null)
            _reply!.TrySetException(error);
        else
            _reportsTo.Fail(error);
    }

    /// <summary>The reply, or the server's ERROR turned into a <see cref="GearmanServerException"/>.</summary>
    public static Packet ThrowIfError(in Packet reply) => reply.Type == PacketType.Error
        ? throw new GearmanServerException(reply.ArgumentString(0), reply.ArgumentString(1))
        : reply;
}
