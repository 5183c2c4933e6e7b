using Microsoft.Extensions.Logging;

namespace Narada.Agent.Host;

/// <summary>The log lines of the <c>narada-agent</c> executable itself, source-generated.</summary>
internal static partial class HostLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "agent {Host} registered {Ms:0.0} ms after process start")]
    public static partial void Registered(ILogger logger, string host, double ms);
}
