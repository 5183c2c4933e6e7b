using Narada.Plugins.System;

namespace Narada.Agent.Tests.SystemPlugin;

/// <summary>A throwaway procfs/sysfs/etc tree in a temp directory, filled with hand-written kernel files.</summary>
internal sealed class ProcFixture : IDisposable
{
    public ProcFixture()
    {
        Root = Directory.CreateTempSubdirectory("narada-procfs-").FullName;
        Paths = new SystemPaths
        {
            Proc = Path.Combine(Root, "proc"),
            Sys = Path.Combine(Root, "sys"),
            Etc = Path.Combine(Root, "etc"),
            Root = Root,
        };
        Directory.CreateDirectory(Paths.Proc);
        Directory.CreateDirectory(Paths.Sys);
        Directory.CreateDirectory(Paths.Etc);
    }

    public string Root { get; }

    public SystemPaths Paths { get; }

    public ProcFixture Proc(string relative, string content) => Write(Path.Combine(Paths.Proc, relative), content);

    public ProcFixture Sys(string relative, string content) => Write(Path.Combine(Paths.Sys, relative), content);

    public ProcFixture Etc(string relative, string content) => Write(Path.Combine(Paths.Etc, relative), content);

    public ProcFixture ProcBytes(string relative, byte[] content)
    {
        var path = Path.Combine(Paths.Proc, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return this;
    }

    /// <summary>A real directory under the fixture, for mount tables whose mount points statfs must reach.</summary>
    public string MakeDirectory(string relative) => Directory.CreateDirectory(Path.Combine(Root, relative)).FullName;

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private ProcFixture Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return this;
    }
}
