using System.Globalization;
using System.Text;
using Narada.Gearman.Protocol;
using Narada.Gearman.Transport;

namespace Narada.Gearman.Worker;

/// <summary>One registered function: its handler and the CAN_DO arguments, encoded once.</summary>
internal sealed class WorkerAbility
{
    private readonly byte[] _name;
    private readonly byte[]? _timeout;

    public WorkerAbility(string function, JobHandler handler, TimeSpan? timeout)
    {
        Function = function;
        Handler = handler;
        _name = Encoding.UTF8.GetBytes(function);
        if (timeout is { } t)
            _timeout = Encoding.ASCII.GetBytes(((long)Math.Ceiling(t.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture));
    }

    public string Function { get; }

    public JobHandler Handler { get; }

    /// <summary>Throws a clear error for a name no job server would accept.</summary>
    public static void CheckName(string function)
    {
        ArgumentException.ThrowIfNullOrEmpty(function);
        if (function.Contains('\0'))
            throw new ArgumentException("a function name cannot contain NUL", nameof(function));
        if (Encoding.UTF8.GetByteCount(function) > PacketLimits.MaxFunctionLength)
            throw new ArgumentException($"a function name is limited to {PacketLimits.MaxFunctionLength} UTF-8 bytes",
                nameof(function));
    }

    public static void CheckTimeout(TimeSpan? timeout)
    {
        if (timeout is { } t && (t <= TimeSpan.Zero || t.TotalMilliseconds > uint.MaxValue))
            throw new ArgumentOutOfRangeException(nameof(timeout), t, "must be positive and fit in 32-bit milliseconds");
    }

    /// <summary>CAN_DO, or CAN_DO_TIMEOUT when a timeout was given.</summary>
    public ValueTask SendCanDoAsync(GearmanConnection connection) =>
        _timeout is null
            ? connection.SendAsync(PacketType.CanDo, _name)
            : connection.SendAsync(PacketType.CanDoTimeout, _name, _timeout);

    public static ValueTask SendCantDoAsync(GearmanConnection connection, string function) =>
        connection.SendAsync(PacketType.CantDo, Encoding.UTF8.GetBytes(function));
}
