using Narada.Testing;

namespace Narada.Cli.Tests;

/// <summary>The built <c>narada</c> command (narada.dll next to the test assembly), run through the real <c>dotnet</c> host.</summary>
public static class NaradaCli
{
    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "narada.dll");

    /// <summary>The dotnet host running the tests (DOTNET_HOST_PATH), else <c>dotnet</c> on PATH.</summary>
    public static string Dotnet { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : RequiredTool.Path("dotnet", "dotnet-sdk-10.0");

    /// <summary>Runs <c>narada args...</c> to completion with <paramref name="stdin"/> as its input.</summary>
    public static Task<ProcessResult> RunAsync(IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null,
        IDictionary<string, string>? environment = null, string? workingDirectory = null) =>
        ExternalProcess.RunAsync(Dotnet, [Dll, .. args], stdin ?? "", timeout ?? TimeSpan.FromSeconds(30), Quiet(environment), workingDirectory);

    /// <summary>Starts a long-running <c>narada args...</c>, e.g. a worker.</summary>
    public static ExternalProcess Start(IEnumerable<string> args, IDictionary<string, string>? environment = null, string? workingDirectory = null) =>
        ExternalProcess.Start(Dotnet, [Dll, .. args], Quiet(environment), workingDirectory);

    private static Dictionary<string, string> Quiet(IDictionary<string, string>? environment)
    {
        // GEARMAN_SERVER from the developer's shell must not redirect a test
        var env = new Dictionary<string, string> { ["GEARMAN_SERVER"] = "", ["DOTNET_NOLOGO"] = "1" };
        if (environment is not null)
            foreach (var (k, v) in environment)
                env[k] = v;
        return env;
    }
}
