namespace Narada.Gearman.Client;

/// <summary>A job server refused a request with an ERROR packet (or an <c>ERR</c> admin reply).</summary>
public sealed class GearmanServerException : Exception
{
    public GearmanServerException(string code, string message)
        : base($"{code}: {message}")
    {
        Code = code;
        ServerMessage = message;
    }

    /// <summary>The error code, e.g. <c>QUEUE_ERROR</c> (see <see cref="Protocol.ErrorCodes"/>).</summary>
    public string Code { get; }

    /// <summary>The server's explanation as sent.</summary>
    public string ServerMessage { get; }
}
