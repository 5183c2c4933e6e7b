namespace Narada.Agent.Apply;

/// <summary>Decides whether a target path is one of the agent's apply roots or lies under one, once <c>..</c> and every symlink are resolved.</summary>
/// <remarks>
/// Resolution walks the path one component at a time like the kernel does, so <c>link/..</c> goes to the parent of
/// the link's target, not back to the directory holding the link. Components that do not exist yet are kept as named.
/// </remarks>
public sealed class ApplyPathGuard
{
    private const int MaxSymlinkHops = 40;
    private readonly IReadOnlyList<string> _roots;
    private readonly string _rootList;

    public ApplyPathGuard(IReadOnlyList<string> allowedRoots)
    {
        _roots = [.. allowedRoots.Select(root =>
            Resolve(Path.IsPathRooted(root) ? root : Path.Join(Environment.CurrentDirectory, root), hops: null))];
        _rootList = allowedRoots.Count == 0 ? "(none configured)" : string.Join(", ", allowedRoots);
    }

    /// <summary>The real path to write, or the reason the target is refused.</summary>
    public (string? ResolvedPath, string? Refusal) Check(string path)
    {
        if (!Path.IsPathFullyQualified(path))
            return (null, $"{path} is not an absolute path");
        if (path.Contains('\0'))
            return (null, "the path contains a NUL character");

        var hops = new List<(string Link, string Target)>();
        string resolved;
        try
        {
            resolved = Resolve(path, hops);
        }
        catch (IOException e)
        {
            return (null, $"{path} cannot be resolved: {e.Message}");
        }

        if (IsUnderRoot(resolved))
            return (resolved, null);

        var escape = hops.FirstOrDefault(hop => !IsUnderRoot(hop.Target));
        if (escape != default)
            return (null, $"symlink {escape.Link} -> {escape.Target} escapes the apply paths {_rootList}");
        var shown = resolved == path ? path : $"{path} resolves to {resolved}, which";
        return (null, $"{shown} is outside the apply paths {_rootList}");
    }

    // A root is a directory (everything under it) or a single file (that file: agent.yaml's sample allows /etc/motd).
    private bool IsUnderRoot(string resolved) =>
        _roots.Any(root => resolved == root || resolved.StartsWith(root.EndsWith('/') ? root : root + "/", StringComparison.Ordinal));

    /// <summary>Resolves like realpath(3) for the part that exists; records each symlink followed in <paramref name="hops"/>.</summary>
    private static string Resolve(string path, List<(string Link, string Target)>? hops)
    {
        var pending = new Stack<string>(Components(path).Reverse());
        var current = "/";
        var followed = 0;
        var missing = false;
        while (pending.Count > 0)
        {
            var name = pending.Pop();
            if (name == ".")
                continue;
            if (name == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            var candidate = Path.Join(current, name);
            var target = missing ? null : LinkTarget(candidate);
            if (target is null)
            {
                missing = missing || !Path.Exists(candidate);
                current = candidate;
                continue;
            }

            if (++followed > MaxSymlinkHops)
                throw new IOException($"too many levels of symbolic links at {candidate}");
            var absoluteTarget = Path.IsPathRooted(target) ? target : Path.Join(current, target);
            hops?.Add((candidate, Path.GetFullPath(absoluteTarget)));
            foreach (var part in Components(target).Reverse())
                pending.Push(part);
            if (Path.IsPathRooted(target))
                current = "/";
        }
        return current;
    }

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not a directory on the way (a regular file as parent) or unreadable: writing there will fail and say why.
            return null;
        }
    }

    private static IEnumerable<string> Components(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
