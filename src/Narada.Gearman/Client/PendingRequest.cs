using Narada.Gearman.Protocol;
using Narada.Gearman.Transport;

namespace Narada.Gearman.Client;

/// <summary>A request whose reply comes back in order (JOB_CREATED, STATUS_RES, STATUS_RES_UNIQUE, ECHO_RES, OPTION_RES or ERROR).</summary>
internal sealed class PendingRequest
{
    private readonly TaskCompletionSource<Packet> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _count;
    private readonly ReadOnlyMemory<byte> _a, _b, _c, _d;

    public PendingRequest(PacketType type, GearmanJob? job, int count,
        ReadOnlyMemory<byte> a, ReadOnlyMemory<byte> b = default, ReadOnlyMemory<byte> c = default, ReadOnlyMemory<byte> d = default)
    {
        Type = type;
        Job = job;
        _count = count;
        (_a, _b, _c, _d) = (a, b, c, d);
    }

    public PacketType Type { get; }

    /// <summary>The foreground job to start routing WORK_* packets to once JOB_CREATED names its handle.</summary>
    public GearmanJob? Job { get; }

    /// <summary>Set when the caller stopped waiting; an unsent request is then dropped and a late reply ignored.</summary>
    public bool Abandoned { get; set; }

    public Task<Packet> Reply => _reply.Task;

    /// <summary>The reply type that answers this request (ERROR answers any).</summary>
    public PacketType ExpectedReply => Type switch
    {
        PacketType.GetStatus => PacketType.StatusRes,
        PacketType.GetStatusUnique => PacketType.StatusResUnique,
        PacketType.EchoReq => PacketType.EchoRes,
        PacketType.OptionReq => PacketType.OptionRes,
        _ => PacketType.JobCreated,
    };

    public ValueTask SendAsync(GearmanConnection connection) => _count switch
    {
        1 => connection.SendAsync(Type, _a),
        2 => connection.SendAsync(Type, _a, _b),
        3 => connection.SendAsync(Type, _a, _b, _c),
        _ => connection.SendAsync(Type, _a, _b, _c, _d),
    };

    public void Complete(in Packet reply) => _reply.TrySetResult(reply);

    public void Fail(Exception error) => _reply.TrySetException(error);

    /// <summary>The reply, or the server's ERROR turned into a <see cref="GearmanServerException"/>.</summary>
    public static Packet ThrowIfError(in Packet reply) => reply.Type == PacketType.Error
        ? throw new GearmanServerException(reply.ArgumentString(0), reply.ArgumentString(1))
        : reply;
}
