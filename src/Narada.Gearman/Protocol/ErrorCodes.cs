namespace Narada.Gearman.Protocol;

/// <summary>The codes carried in ERROR packets, spelled as gearmand spells them (libgearman names without <c>GEARMAN_</c>).</summary>
public static class ErrorCodes
{
    public const string InvalidMagic = "INVALID_MAGIC";
    public const string InvalidCommand = "INVALID_COMMAND";
    public const string InvalidPacket = "INVALID_PACKET";
    public const string ArgumentTooLarge = "ARGUMENT_TOO_LARGE";
    public const string JobNotFound = "JOB_NOT_FOUND";
    public const string QueueError = "QUEUE_ERROR";
    public const string UnknownOption = "UNKNOWN_OPTION";
    public const string PermissionDenied = "PERMISSION_DENIED";
    public const string NoFunctions = "NO_REGISTERED_FUNCTIONS";
}
