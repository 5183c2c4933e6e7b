namespace Narada.Gearman.Transport;

/// <summary>A job server could not be reached, or the connection to it broke.</summary>
public sealed class GearmanConnectionException : Exception
{
    public GearmanConnectionException(ServerAddress server, string message, Exception? inner = null)
        : base($"{server}: {message}", inner) => Server = server;

    /// <summary>The server the failure concerns.</summary>
    public ServerAddress Server { get; }
}
