namespace Narada.Cli.Commands.Gearman;

/// <summary>The command line asks for something impossible; the verb prints the message and exits 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
