using System.Security.Cryptography;
using System.Text;
using Narada.Agent.Apply;
using Narada.Core.Contracts;
using Narada.Testing;

namespace Narada.Agent.Tests.Apply;

/// <summary>A temp tree with an apply root, a directory outside it and a backup directory, and the real engine.</summary>
public sealed class ApplyFixture : IDisposable
{
    public ApplyFixture()
    {
        Base = Directory.CreateTempSubdirectory("narada-apply-").FullName;
        Root = Directory.CreateDirectory(Path.Join(Base, "root")).FullName;
        Outside = Directory.CreateDirectory(Path.Join(Base, "outside")).FullName;
        Backups = Path.Join(Base, "backups");
        Policy = new ApplyPolicy
        {
            AllowedRoots = [Root],
            AllowedCommands = [Jq, "/bin/false", "/bin/true"],
            BackupDirectory = Backups,
            CommandTimeout = TimeSpan.FromSeconds(10),
        };
    }

    public static string Jq { get; } = RequiredTool.Path("jq", "jq");

    public string Base { get; }
    public string Root { get; }
    public string Outside { get; }
    public string Backups { get; }
    public ApplyPolicy Policy { get; }
    public ApplyEngine Engine { get; } = new(new ProcessCommandRunner());

    public static ApplySpec Spec(string path, string content) =>
        new(path, content, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content))));

    public Task<ApplyReport> ApplyAsync(ApplySpec spec) => Engine.ApplyAsync(spec, Policy);

    public string InRoot(string name) => Path.Join(Root, name);

    /// <summary>Every file under the root, so a test sees a stray temp file or an unexpected write.</summary>
    public string[] FilesInRoot() =>
        [.. Directory.EnumerateFileSystemEntries(Root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    public void Dispose() => Directory.Delete(Base, recursive: true);
}
