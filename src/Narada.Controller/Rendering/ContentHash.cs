using System.Security.Cryptography;
using System.Text;

namespace Narada.Controller.Rendering;

/// <summary>The content hash the agent verifies before writing: SHA-256 of the UTF-8 bytes (no BOM), lowercase hex.</summary>
public static class ContentHash
{
    public static string Sha256(string content) =>
        Convert.ToHexStringLower(SHA256.HashData(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(content)));
}
