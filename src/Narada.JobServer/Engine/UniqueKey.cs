using System.Security.Cryptography;

namespace Narada.JobServer.Engine;

/// <summary>What unique coalescing matches on: the function and its unique key (for <c>-</c>, a digest of the payload).</summary>
internal readonly record struct UniqueKey(string Function, string Unique)
{
    /// <summary>The key of a submit, or null when its unique is empty (empty never coalesces).</summary>
    public static UniqueKey? For(string function, string unique, ReadOnlySpan<byte> data)
    {
        if (unique.Length == 0)
            return null;
        // "-" keys on the payload; a digest keeps the index small whatever the payload size.
        if (unique == "-")
            return new UniqueKey(function, "-" + Convert.ToHexString(SHA256.HashData(data)));
        return new UniqueKey(function, unique);
    }
}
