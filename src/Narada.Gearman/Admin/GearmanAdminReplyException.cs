namespace Narada.Gearman.Admin;

/// <summary>A text admin reply that does not have the shape its command promises.</summary>
public sealed class GearmanAdminReplyException : Exception
{
    public GearmanAdminReplyException(string command, string line, string expected)
        : base($"malformed reply to '{command}': line '{line}' ({expected})")
    {
        Command = command;
        Line = line;
    }

    /// <summary>The command whose reply was malformed.</summary>
    public string Command { get; }

    /// <summary>The offending line, as received.</summary>
    public string Line { get; }
}
