namespace Narada.Core.Contracts;

/// <summary>A JSON message between controller and agents: versioned and able to say what is wrong with it.</summary>
public interface IEnvelope
{
    /// <summary>The envelope format version, <c>"v"</c> on the wire; this build reads and writes <see cref="Envelope.Version"/>.</summary>
    int V { get; }

    /// <summary>A sentence saying why this envelope cannot be acted on (bad enum value, malformed hash), or null when it is fine.</summary>
    string? FindProblem();
}
