using Narada.Testing;

namespace Narada.Cli.Tests.Examples;

/// <summary>Paths of the runnable examples in examples/, and a scratch directory per test.</summary>
public static class ExampleFiles
{
    public static string Directory => System.IO.Path.Combine(RepoPaths.Root, "examples");

    public static string Path(params string[] parts) => System.IO.Path.Combine([Directory, .. parts]);

    /// <summary>A fresh directory under the system temp dir; the caller deletes it.</summary>
    public static DirectoryInfo Scratch() => System.IO.Directory.CreateTempSubdirectory("narada-example-");

    /// <summary>The environment that points the tools (PHP's addServers, the narada CLI) at <paramref name="server"/>.</summary>
    public static Dictionary<string, string> ServerEnvironment(GearmandServer server) => new() { ["GEARMAN_SERVER"] = server.Address };
}
