namespace Narada.Cli.Commands.Gearman;

/// <summary>Exit codes of the Gearman verbs, stable so scripts can rely on them.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A job failed, raised an exception or timed out, or the server refused an admin command.</summary>
    public const int JobFailed = 1;

    public const int Usage = 2;

    /// <summary>No job server could be reached.</summary>
    public const int CannotConnect = 3;
}
