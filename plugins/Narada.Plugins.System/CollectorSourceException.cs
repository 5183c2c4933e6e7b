namespace Narada.Plugins.System;

/// <summary>A kernel source file (e.g. <c>/proc/stat</c>) could not be read at all, so the collector has nothing to report.</summary>
public sealed class CollectorSourceException(string path, Exception inner)
    : IOException($"cannot read {path}: {inner.Message}", inner)
{
    /// <summary>The file that could not be read.</summary>
    public string SourcePath { get; } = path;
}
