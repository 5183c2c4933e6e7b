namespace Narada.Core.Contracts;

/// <summary>Bytes that are not a valid envelope: bad JSON, a missing required field, a wrong version or value.</summary>
public sealed class EnvelopeException : Exception
{
    public EnvelopeException(string envelope, string reason, Exception? inner = null)
        : base($"invalid {envelope} envelope: {reason}", inner)
    {
        Envelope = envelope;
        Reason = reason;
    }

    /// <summary>Which envelope was being read, e.g. <c>JobRequest</c>.</summary>
    public string Envelope { get; }

    public string Reason { get; }
}
