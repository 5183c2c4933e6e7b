using Microsoft.Extensions.Logging;

namespace Narada.Agent;

/// <summary>Every log line the agent writes, source-generated.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "agent {Host} serving {Functions} on {Servers} ({Commands} plugin commands)")]
    public static partial void Started(ILogger logger, string host, string functions, string servers, int commands);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "plugin manifest: {Diagnostic}")]
    public static partial void ManifestDiagnostic(ILogger logger, string diagnostic);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "could not send to {Function}: {Reason}")]
    public static partial void SendFailed(ILogger logger, string function, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "host name {Name} leaves no room in Gearman's 64-byte unique " +
        "to sign results with it: they go unsigned, and a job server that requires signed results refuses them")]
    public static partial void UnsignedReplies(ILogger logger, string name);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "unreadable job on {Function}: {Reason}")]
    public static partial void BadRequest(ILogger logger, string function, string reason);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "agent {Host} stopped: its jobs in hand finished or were reported failed")]
    public static partial void Stopped(ILogger logger, string host);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "reload requested: reading the configuration and manifests again")]
    public static partial void ReloadRequested(ILogger logger);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "reload refused, the running agent goes on unchanged: {Reason}")]
    public static partial void ReloadRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "agent {Host} registered {Ms:0.0} ms after process start")]
    public static partial void Registered(ILogger logger, string host, double ms);
}
