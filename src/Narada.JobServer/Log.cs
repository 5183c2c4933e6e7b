using Microsoft.Extensions.Logging;

namespace Narada.JobServer;

/// <summary>The job server's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "narada jobserver listening on {Endpoint} (gearman binary + text admin){Extra}")]
    public static partial void Listening(ILogger logger, string endpoint, string extra);

    [LoggerMessage(16, LogLevel.Warning, "not listening on {Address}: {Reason}")]
    public static partial void AddressUnavailable(ILogger logger, string address, string reason);

    [LoggerMessage(17, LogLevel.Information, "took over {Count} background jobs from gearmand's queue table {Table} in {Path}")]
    public static partial void TookOverGearmandQueue(ILogger logger, int count, string table, string path);

    [LoggerMessage(18, LogLevel.Warning, "{Addresses} is open to the network with no client certificates and no ACL: whoever reaches it can " +
        "submit jobs to every worker, serve any function (and so receive its jobs) and cancel or drop queued work; firewall it, " +
        "or require client certificates and an ACL (docs/security.md)")]
    public static partial void OpenToTheNetwork(ILogger logger, string addresses);

    [LoggerMessage(19, LogLevel.Information, "security reloaded: {What}")]
    public static partial void SecurityReloaded(ILogger logger, string what);

    [LoggerMessage(2, LogLevel.Information, "restored {Count} background jobs from {Path}")]
    public static partial void Restored(ILogger logger, int count, string path);

    [LoggerMessage(3, LogLevel.Warning, "job {Handle} dropped after {Retries} attempts ({Reason})")]
    public static partial void JobDropped(ILogger logger, string handle, int retries, string reason);

    [LoggerMessage(4, LogLevel.Debug, "job {Handle} requeued: {Reason}")]
    public static partial void JobRequeued(ILogger logger, string handle, string reason);

    [LoggerMessage(5, LogLevel.Debug, "connection {Remote} closed: {Reason}")]
    public static partial void ProtocolViolation(ILogger logger, string remote, string reason);

    [LoggerMessage(6, LogLevel.Error, "persistent queue write of {Count} changes failed")]
    public static partial void PersistFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(7, LogLevel.Warning, "refused {Refused} connection(s), the latest from {Remote}: {Count} connections open, the most allowed")]
    public static partial void TooManyConnections(ILogger logger, int refused, string remote, int count);

    [LoggerMessage(8, LogLevel.Error, "connection {Remote} failed")]
    public static partial void ConnectionFailed(ILogger logger, string remote, Exception exception);

    [LoggerMessage(10, LogLevel.Information, "narada jobserver on {Endpoint} stopped")]
    public static partial void Stopped(ILogger logger, string endpoint);

    [LoggerMessage(11, LogLevel.Critical, "event loop {Name} stopped: epoll_wait failed with errno {Errno}")]
    public static partial void LoopFailed(ILogger logger, string name, int errno);

    [LoggerMessage(12, LogLevel.Error, "event loop {Name}: a turn failed")]
    public static partial void LoopError(ILogger logger, string name, Exception exception);

    [LoggerMessage(9, LogLevel.Debug, "connection {Remote} cut off: it stopped reading its replies")]
    public static partial void SlowReader(ILogger logger, string remote);

    [LoggerMessage(14, LogLevel.Warning, "the open-file limit of {Limit} leaves room for {Connections} connections; raise it (-f, ulimit -n, LimitNOFILE= in a systemd unit) to serve more")]
    public static partial void FewDescriptors(ILogger logger, long limit, int connections);

    [LoggerMessage(15, LogLevel.Error, "cannot accept connections: {Reason}; retrying")]
    public static partial void AcceptStarved(ILogger logger, string reason);

    [LoggerMessage(13, LogLevel.Warning, "metrics endpoint {Uri} did not close cleanly")]
    public static partial void MetricsStopFailed(ILogger logger, Uri? uri, Exception exception);
}
