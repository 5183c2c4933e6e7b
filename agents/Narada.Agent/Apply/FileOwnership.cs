using System.Runtime.Versioning;

namespace Narada.Agent.Apply;

/// <summary>The mode, owner and group an applied file should end up with, parsed and looked up before anything is written.</summary>
[UnsupportedOSPlatform("windows")]
internal sealed record FileOwnership(UnixFileMode? Mode, uint? Uid, uint? Gid)
{
    /// <summary>Parses "0644"-style modes and looks user and group names up; returns the refusal reason when one is bad.</summary>
    public static (FileOwnership? Ownership, string? Refusal) From(ApplySpec spec)
    {
        UnixFileMode? mode = null;
        if (spec.Mode is not null)
        {
            var digits = spec.Mode.Trim();
            if (digits.Length is < 3 or > 4 || !digits.All(c => c is >= '0' and <= '7'))
                return (null, $"mode \"{spec.Mode}\" is not an octal mode like 0644");
            mode = (UnixFileMode)Convert.ToInt32(digits, 8);
        }

        uint? uid = null, gid = null;
        if (spec.Owner is not null && (uid = UnixInterop.UserId(spec.Owner)) is null)
            return (null, $"owner {spec.Owner} is not a user on this host");
        if (spec.Group is not null && (gid = UnixInterop.GroupId(spec.Group)) is null)
            return (null, $"group {spec.Group} is not a group on this host");
        return (new FileOwnership(mode, uid, gid), null);
    }

    public bool ChangesOwner => Uid is not null || Gid is not null;

    /// <summary>What differs between this and the existing file at <paramref name="path"/>, as words; empty when nothing.</summary>
    public List<string> Drift(string path)
    {
        var drift = new List<string>();
        var currentMode = File.GetUnixFileMode(path);
        if (Mode is { } mode && mode != currentMode)
            drift.Add($"mode {Octal(currentMode)} -> {Octal(mode)}");
        if (ChangesOwner && UnixInterop.Owner(path) is var (uid, gid))
        {
            if (Uid is { } wantUid && wantUid != uid)
                drift.Add($"owner uid {uid} -> {wantUid}");
            if (Gid is { } wantGid && wantGid != gid)
                drift.Add($"group gid {gid} -> {wantGid}");
        }
        return drift;
    }

    /// <summary>Sets mode (default <paramref name="fallbackMode"/>) and owner on <paramref name="path"/>; returns a note when owner was skipped.</summary>
    public string? ApplyTo(string path, UnixFileMode fallbackMode, (uint Uid, uint Gid)? fallbackOwner)
    {
        File.SetUnixFileMode(path, Mode ?? fallbackMode);
        var uid = Uid ?? fallbackOwner?.Uid;
        var gid = Gid ?? fallbackOwner?.Gid;
        if (uid is null && gid is null)
            return null;
        if (!Environment.IsPrivilegedProcess)
            return ChangesOwner ? "owner/group not set: the agent is not running as root" : null;
        var error = UnixInterop.ChangeOwner(path, uid ?? uint.MaxValue, gid ?? uint.MaxValue);
        if (error is not null)
            throw new IOException($"cannot set owner of {path}: {error}");
        return null;
    }

    public static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode, 8).PadLeft(3, '0');
}
