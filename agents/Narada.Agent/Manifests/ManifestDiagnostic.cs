using Narada.Core.Yaml;

namespace Narada.Agent.Manifests;

/// <summary>A problem found while loading manifests: an error skips the command or file, a warning marks a command unavailable.</summary>
public sealed record ManifestDiagnostic(ManifestSeverity Severity, SourcePosition Position, string Message)
{
    public override string ToString() => $"{Position}: {(Severity == ManifestSeverity.Error ? "error" : "warning")}: {Message}";
}

/// <summary>How bad a manifest problem is.</summary>
public enum ManifestSeverity
{
    Warning,
    Error,
}
