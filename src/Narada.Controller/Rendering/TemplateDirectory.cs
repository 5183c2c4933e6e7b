namespace Narada.Controller.Rendering;

/// <summary>Finds template files by name inside the templates directory, refusing names that lead out of it.</summary>
internal static class TemplateDirectory
{
    /// <summary>The full path of template <paramref name="name"/> under <paramref name="root"/>, or why there is none.</summary>
    public static (string? Path, string? Problem) Locate(string root, string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains('\0'))
            return (null, "is not a template name");
        if (Path.IsPathRooted(name))
            return (null, "must be a path relative to the templates directory");

        var full = Path.GetFullPath(Path.Join(root, name));
        if (!IsInside(root, full))
            return (null, "escapes the templates directory");
        if (!File.Exists(full))
            return (null, $"not found in the templates directory {root}");

        // A symlink inside the directory must not serve a file from elsewhere either.
        var real = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        var realRoot = new DirectoryInfo(root).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? root;
        if (!IsInside(root, real) && !IsInside(realRoot, real))
            return (null, "is a symlink that escapes the templates directory");
        return (full, null);
    }

    /// <summary>The name to show for <paramref name="path"/>: relative to the root when inside it.</summary>
    public static string Display(string root, string? path) =>
        path is null ? "(template)"
        : Path.IsPathRooted(path) && IsInside(root, path) ? Path.GetRelativePath(root, path)
        : path;

    private static bool IsInside(string root, string path) =>
        path.StartsWith(root.EndsWith('/') ? root : root + "/", StringComparison.Ordinal);
}
