using System.Globalization;

namespace Narada.Testing;

/// <summary>
/// A small tmpfs mounted for the length of a test or a chaos scenario (needs root, as CI runs), filled to the last byte
/// and emptied again: a disk running full under a job server's queue.
/// </summary>
public sealed class SmallDisk : IAsyncDisposable
{
    private readonly string _filler;

    private SmallDisk(string path)
    {
        Path = path;
        _filler = System.IO.Path.Combine(path, "filler");
    }

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MiB at <paramref name="path"/> (created when missing).</summary>
    public static async Task<SmallDisk> MountAsync(string path, int megabytes)
    {
        Directory.CreateDirectory(path);
        var mounted = await ExternalProcess.RunAsync(RequiredTool.Path("mount", "mount"),
            ["-t", "tmpfs", "-o", string.Create(CultureInfo.InvariantCulture, $"size={megabytes}m,mode=0700"), "tmpfs", path]);
        if (mounted.ExitCode != 0)
            throw new InvalidOperationException($"cannot mount a tmpfs at {path} (the disk-full scenario needs root): {mounted}");
        return new SmallDisk(path);
    }

    /// <summary>Writes a file until the file system refuses another byte.</summary>
    public void Fill()
    {
        var chunk = new byte[4096];
        using var file = new FileStream(_filler, FileMode.Append, FileAccess.Write, FileShare.None, 1);
        try
        {
            while (true)
                file.Write(chunk);
        }
        catch (IOException)
        {
            // ENOSPC: full
        }
        try
        {
            // the last partial block, byte by byte
            while (true)
                file.WriteByte(0);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Gives the space back.</summary>
    public void Empty() => File.Delete(_filler);

    public async ValueTask DisposeAsync()
    {
        var unmounted = await ExternalProcess.RunAsync(RequiredTool.Path("umount", "mount"), [Path]);
        if (unmounted.ExitCode != 0)
            Console.Error.WriteLine($"umount {Path}: {unmounted}");
    }
}
