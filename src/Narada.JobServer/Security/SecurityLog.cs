using Microsoft.Extensions.Logging;

namespace Narada.JobServer.Security;

/// <summary>Log messages of the job server's TLS and ACL checks.</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(101, LogLevel.Warning, "ACL denied {Identity} from {Remote}: {Action} {Name} (further denials on this connection are not logged)")]
    public static partial void Denied(ILogger logger, string identity, string remote, AclAction action, string name);

    [LoggerMessage(102, LogLevel.Information, "TLS handshake with {Remote} refused: {Reason}")]
    public static partial void HandshakeRefused(ILogger logger, string remote, string reason);
}
