using Microsoft.Extensions.Logging;
using Narada.Gearman.Protocol;
using Narada.Gearman.Transport;

namespace Narada.Gearman;

/// <summary>The library's log events, source-generated. Worker events use ids 200–299.</summary>
internal static partial class Log
{
    [LoggerMessage(200, LogLevel.Information, "Worker connected to {Server}")]
    public static partial void WorkerConnected(ILogger logger, ServerAddress server);

    [LoggerMessage(201, LogLevel.Warning, "Worker cannot reach {Server}, retrying in {RetryIn}")]
    public static partial void WorkerConnectFailed(ILogger logger, ServerAddress server, TimeSpan retryIn, Exception exception);

    [LoggerMessage(202, LogLevel.Warning, "Worker lost {Server}, reconnecting in {RetryIn}")]
    public static partial void WorkerDisconnected(ILogger logger, ServerAddress server, TimeSpan retryIn, Exception exception);

    [LoggerMessage(203, LogLevel.Warning, "{Server} sent ERROR {Code}: {Text}")]
    public static partial void WorkerServerError(ILogger logger, ServerAddress server, string code, string text);

    [LoggerMessage(204, LogLevel.Debug, "{Server} sent unexpected {Type}")]
    public static partial void WorkerUnexpectedPacket(ILogger logger, ServerAddress server, PacketType type);

    [LoggerMessage(205, LogLevel.Warning, "Job {Handle} of {Function} threw; reported as WORK_EXCEPTION")]
    public static partial void JobThrew(ILogger logger, string handle, string function, Exception exception);

    [LoggerMessage(206, LogLevel.Warning, "{Server} assigned job {Handle} of unregistered function {Function}; reported as WORK_FAIL")]
    public static partial void JobOfUnknownFunction(ILogger logger, ServerAddress server, string handle, string function);

    [LoggerMessage(207, LogLevel.Warning, "{Count} jobs still running at the stop deadline; cancelled and reported as WORK_FAIL")]
    public static partial void JobsCancelledAtStop(ILogger logger, int count);

    [LoggerMessage(208, LogLevel.Debug, "Could not send {What} to {Server}")]
    public static partial void WorkerSendFailed(ILogger logger, ServerAddress server, string what, Exception exception);
}
