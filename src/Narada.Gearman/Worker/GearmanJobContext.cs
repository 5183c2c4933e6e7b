using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Narada.Gearman.Protocol;
using Narada.Gearman.Transport;

namespace Narada.Gearman.Worker;

/// <summary>One job handed to this worker: what to do, and the way to send progress back to the waiting clients.</summary>
public sealed class GearmanJobContext
{
    private readonly GearmanConnection _connection;
    private readonly ReadOnlyMemory<byte> _handle;
    private string? _handleText;
    private int _finished;

    internal GearmanJobContext(GearmanConnection connection, ReadOnlyMemory<byte> handle, string function, string unique,
        ReadOnlyMemory<byte> payload)
    {
        _connection = connection;
        _handle = handle;
        Function = function;
        Unique = unique;
        Payload = payload;
    }

    /// <summary>The job server's handle for this job, e.g. <c>H:host:42</c>.</summary>
    public string Handle => _handleText ??= Encoding.UTF8.GetString(_handle.Span);

    /// <summary>The function the job was submitted to.</summary>
    public string Function { get; }

    /// <summary>The unique key the client gave (empty when none).</summary>
    public string Unique { get; }

    /// <summary>The workload bytes.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The job server the job came from.</summary>
    public ServerAddress Server => _connection.Address;

    /// <summary>True once the outcome (complete, fail or exception) has been reported.</summary>
    public bool IsFinished => Volatile.Read(ref _finished) != 0;

    /// <summary>Sends a WORK_DATA chunk to the waiting clients.</summary>
    public ValueTask SendDataAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        SendProgressAsync(PacketType.WorkData, data, cancellationToken);

    /// <summary>Sends a WORK_WARNING to the waiting clients.</summary>
    public ValueTask SendWarningAsync(ReadOnlyMemory<byte> warning, CancellationToken cancellationToken = default) =>
        SendProgressAsync(PacketType.WorkWarning, warning, cancellationToken);

    /// <summary>Sends WORK_STATUS: <paramref name="numerator"/> of <paramref name="denominator"/> done.</summary>
    public async ValueTask SendStatusAsync(long numerator, long denominator, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(numerator);
        ArgumentOutOfRangeException.ThrowIfNegative(denominator);
        ThrowIfFinished();
        const int Half = 20; // a long has at most 19 digits
        var buffer = ArrayPool<byte>.Shared.Rent(2 * Half);
        try
        {
            Utf8Formatter.TryFormat(numerator, buffer.AsSpan(0, Half), out int n);
            Utf8Formatter.TryFormat(denominator, buffer.AsSpan(Half, Half), out int d);
            await _connection.SendAsync(PacketType.WorkStatus, _handle, buffer.AsMemory(0, n), buffer.AsMemory(Half, d),
                cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private ValueTask SendProgressAsync(PacketType type, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ThrowIfFinished();
        return _connection.SendAsync(type, _handle, data, cancellationToken);
    }

    private void ThrowIfFinished()
    {
        if (IsFinished)
            throw new InvalidOperationException($"job {Handle} has already been reported finished");
    }

    /// <summary>Claims the right to report the outcome; only the first caller gets it.</summary>
    internal bool TryFinish() => Interlocked.Exchange(ref _finished, 1) == 0;

    internal ValueTask SendCompleteAsync(ReadOnlyMemory<byte> result) =>
        _connection.SendAsync(PacketType.WorkComplete, _handle, result);

    internal ValueTask SendFailAsync() => _connection.SendAsync(PacketType.WorkFail, _handle);

    // libgearman's gearman_job_send_exception sends WORK_EXCEPTION alone and marks the job finished, and gearmand 1.1
    // treats it as final: it forwards it to clients that asked for exceptions, sends WORK_FAIL to the others and frees
    // the job (a WORK_FAIL after it would only earn an ERROR JOB_NOT_FOUND).
    internal ValueTask SendExceptionAsync(ReadOnlyMemory<byte> message) =>
        _connection.SendAsync(PacketType.WorkException, _handle, message);
}
