namespace Narada.Agent.Manifests;

/// <summary>One loaded <c>plugin.yaml</c>: a plugin name and the commands it declares.</summary>
public sealed record PluginManifest(string Name, string File, string? Description, IReadOnlyDictionary<string, ManifestCommand> Commands);
