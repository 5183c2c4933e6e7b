using System.Text.RegularExpressions;

using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>The "&lt;plugin&gt;.&lt;command&gt;" form by which definitions name a command of an agent's manifest.</summary>
public static partial class PluginReference
{
    public static bool IsValid(string? reference) => reference is not null && Form().IsMatch(reference);

    public static string PluginOf(string reference) => reference[..reference.IndexOf('.', StringComparison.Ordinal)];

    public static string CommandOf(string reference) => reference[(reference.IndexOf('.', StringComparison.Ordinal) + 1)..];

    [GeneratedRegex("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$")]
    private static partial Regex Form();
}
