using System.Text;
using Narada.Gearman.Protocol;

namespace Narada.Gearman.Client;

public sealed partial class GearmanClient
{
    /// <summary>Asks the server that holds <paramref name="handle"/> about the job (GET_STATUS); an unknown handle is not an error.</summary>
    public async ValueTask<JobStatus> GetStatusAsync(JobHandle handle, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(handle.Handle, nameof(handle));
        var bytes = Encoding.UTF8.GetBytes(handle.Handle);
        if (bytes.Length > PacketLimits.MaxHandleLength)
            throw new ArgumentException($"handle is {bytes.Length} bytes, limit {PacketLimits.MaxHandleLength}", nameof(handle));
        var session = await SlotFor(handle.Server).GetSessionAsync(cancellationToken);
        var reply = await session.RequestAsync(new PendingRequest(PacketType.GetStatus, null, 1, bytes), cancellationToken);
        return new JobStatus(handle, Flag(reply.Argument(1)), Flag(reply.Argument(2)),
            ClientSession.Number(reply.Argument(3)), ClientSession.Number(reply.Argument(4)));
    }

    /// <summary>Asks the server the unique hashes to about the job with that unique (GET_STATUS_UNIQUE).</summary>
    public async ValueTask<UniqueStatus> GetStatusByUniqueAsync(string unique, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(unique);
        var bytes = FunctionNames.EncodeUnique(unique);
        // "-" keys on a payload this call does not have, so such jobs are only found on the first server.
        int start = ServerIndexFor(unique == "-" ? null : unique, bytes, default);
        return await WithFailoverAsync(start, (Unique: unique, Bytes: bytes), static async (session, s, ct) =>
        {
            var reply = await session.RequestAsync(new PendingRequest(PacketType.GetStatusUnique, null, 1, s.Bytes), ct);
            return new UniqueStatus(s.Unique, Flag(reply.Argument(1)), Flag(reply.Argument(2)), ClientSession.Number(reply.Argument(3)),
                ClientSession.Number(reply.Argument(4)), ClientSession.Number(reply.Argument(5)));
        }, cancellationToken);
    }

    /// <summary>Sends ECHO_REQ to the first reachable server and returns what it echoed.</summary>
    public ValueTask<ReadOnlyMemory<byte>> EchoAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        WithFailoverAsync(0, payload, static async (session, p, ct) =>
            (await session.RequestAsync(new PendingRequest(PacketType.EchoReq, null, 1, p), ct)).Argument(0), cancellationToken);

    private static bool Flag(ReadOnlyMemory<byte> text) => ClientSession.Number(text) != 0;
}
