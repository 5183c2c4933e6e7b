namespace Narada.Gearman.Protocol;

/// <summary>The argument layout and direction of every packet type: the one table the codec and peers consult.</summary>
public static class PacketSchema
{
    private static readonly ArgumentKind[] None = [];
    private static readonly ArgumentKind[] Func = [ArgumentKind.Function];
    private static readonly ArgumentKind[] Handle = [ArgumentKind.Handle];
    private static readonly ArgumentKind[] HandleData = [ArgumentKind.Handle, ArgumentKind.Bytes];
    private static readonly ArgumentKind[] Data = [ArgumentKind.Bytes];
    private static readonly ArgumentKind[] Submit = [ArgumentKind.Function, ArgumentKind.Unique, ArgumentKind.Bytes];

    private static readonly Entry[] Table = Build();

    /// <summary>Highest packet number the protocol defines.</summary>
    public const uint MaxType = (uint)PacketType.StatusResUnique;

    /// <summary>True for the numbers the protocol defines (1–42 except the unused 5).</summary>
    public static bool IsDefined(uint type) => type <= MaxType && Table[type].Arguments is not null;

    /// <summary>The arguments of a packet type, in order; the last one runs to the end of the payload.</summary>
    public static ReadOnlySpan<ArgumentKind> Arguments(PacketType type) => Table[(uint)type].Arguments;

    /// <summary>True when a client or worker may send this type to a server (magic <c>\0REQ</c>).</summary>
    public static bool IsRequest(PacketType type) => (Table[(uint)type].Direction & Direction.Request) != 0;

    /// <summary>True when a server may send this type to a client or worker (magic <c>\0RES</c>).</summary>
    public static bool IsResponse(PacketType type) => (Table[(uint)type].Direction & Direction.Response) != 0;

    /// <summary>True for the SUBMIT_JOB family whose jobs run in the background.</summary>
    public static bool IsBackgroundSubmit(PacketType type) => type is PacketType.SubmitJobBg or PacketType.SubmitJobHighBg
        or PacketType.SubmitJobLowBg or PacketType.SubmitJobEpoch or PacketType.SubmitJobSched
        or PacketType.SubmitReduceJobBackground;

    [Flags]
    private enum Direction : byte { Request = 1, Response = 2, Both = Request | Response }

    private readonly record struct Entry(ArgumentKind[] Arguments, Direction Direction);

    private static Entry[] Build()
    {
        var t = new Entry[MaxType + 1];
        void Set(PacketType type, ArgumentKind[] args, Direction dir) => t[(uint)type] = new Entry(args, dir);

        Set(PacketType.CanDo, Func, Direction.Request);
        Set(PacketType.CantDo, Func, Direction.Request);
        Set(PacketType.ResetAbilities, None, Direction.Request);
        Set(PacketType.PreSleep, None, Direction.Request);
        Set(PacketType.Noop, None, Direction.Response);
        Set(PacketType.SubmitJob, Submit, Direction.Request);
        Set(PacketType.JobCreated, Handle, Direction.Response);
        Set(PacketType.GrabJob, None, Direction.Request);
        Set(PacketType.NoJob, None, Direction.Response);
        Set(PacketType.JobAssign, [ArgumentKind.Handle, ArgumentKind.Function, ArgumentKind.Bytes], Direction.Response);
        Set(PacketType.WorkStatus, [ArgumentKind.Handle, ArgumentKind.Bytes, ArgumentKind.Bytes], Direction.Both);
        Set(PacketType.WorkComplete, HandleData, Direction.Both);
        Set(PacketType.WorkFail, Handle, Direction.Both);
        Set(PacketType.GetStatus, Handle, Direction.Request);
        Set(PacketType.EchoReq, Data, Direction.Request);
        Set(PacketType.EchoRes, Data, Direction.Response);
        Set(PacketType.SubmitJobBg, Submit, Direction.Request);
        Set(PacketType.Error, [ArgumentKind.Bytes, ArgumentKind.Bytes], Direction.Response);
        Set(PacketType.StatusRes, [ArgumentKind.Handle, ArgumentKind.Bytes, ArgumentKind.Bytes, ArgumentKind.Bytes, ArgumentKind.Bytes], Direction.Response);
        Set(PacketType.SubmitJobHigh, Submit, Direction.Request);
        Set(PacketType.SetClientId, Data, Direction.Request);
        Set(PacketType.CanDoTimeout, [ArgumentKind.Function, ArgumentKind.Bytes], Direction.Request);
        Set(PacketType.AllYours, None, Direction.Request);
        Set(PacketType.WorkException, HandleData, Direction.Both);
        Set(PacketType.OptionReq, Data, Direction.Request);
        Set(PacketType.OptionRes, Data, Direction.Response);
        Set(PacketType.WorkData, HandleData, Direction.Both);
        Set(PacketType.WorkWarning, HandleData, Direction.Both);
        Set(PacketType.GrabJobUniq, None, Direction.Request);
        Set(PacketType.JobAssignUniq, [ArgumentKind.Handle, ArgumentKind.Function, ArgumentKind.Unique, ArgumentKind.Bytes], Direction.Response);
        Set(PacketType.SubmitJobHighBg, Submit, Direction.Request);
        Set(PacketType.SubmitJobLow, Submit, Direction.Request);
        Set(PacketType.SubmitJobLowBg, Submit, Direction.Request);
        Set(PacketType.SubmitJobSched,
            [ArgumentKind.Function, ArgumentKind.Unique, ArgumentKind.Bytes, ArgumentKind.Bytes, ArgumentKind.Bytes,
             ArgumentKind.Bytes, ArgumentKind.Bytes, ArgumentKind.Bytes], Direction.Request);
        Set(PacketType.SubmitJobEpoch, [ArgumentKind.Function, ArgumentKind.Unique, ArgumentKind.Bytes, ArgumentKind.Bytes], Direction.Request);
        Set(PacketType.SubmitReduceJob,
            [ArgumentKind.Function, ArgumentKind.Unique, ArgumentKind.Function, ArgumentKind.Bytes, ArgumentKind.Bytes], Direction.Request);
        Set(PacketType.SubmitReduceJobBackground,
            [ArgumentKind.Function, ArgumentKind.Unique, ArgumentKind.Function, ArgumentKind.Bytes, ArgumentKind.Bytes], Direction.Request);
        Set(PacketType.GrabJobAll, None, Direction.Request);
        Set(PacketType.JobAssignAll,
            [ArgumentKind.Handle, ArgumentKind.Function, ArgumentKind.Unique, ArgumentKind.Function, ArgumentKind.Bytes], Direction.Response);
        Set(PacketType.GetStatusUnique, [ArgumentKind.Unique], Direction.Request);
        Set(PacketType.StatusResUnique,
            [ArgumentKind.Unique, ArgumentKind.Bytes, ArgumentKind.Bytes, ArgumentKind.Bytes, ArgumentKind.Bytes, ArgumentKind.Bytes], Direction.Response);
        return t;
    }
}
