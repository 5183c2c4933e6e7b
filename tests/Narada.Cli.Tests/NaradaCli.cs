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

    /// <summary>
    /// Starts a long-running <c>narada args...</c> (up, server, jobserver) and returns once something listens on
    /// <paramref name="port"/>; fails with the process's output if it exits first.
    /// </summary>
    public static async Task<ExternalProcess> StartListeningAsync(IEnumerable<string> args, int port, string? workingDirectory = null)
    {
        var process = Start(args, workingDirectory: workingDirectory);
        await GearmandServer.WaitForListenerAsync(port,
            () => process.HasExited ? $"narada {string.Join(' ', args)} exited: {process.Stderr}{process.Stdout}" : null,
            TimeSpan.FromSeconds(60));
        return process;
    }

    /// <summary>Ctrl-C, as a terminal sends it, and the process's end (killed by its disposal if it does not stop).</summary>
    public static async Task<ProcessResult> InterruptAsync(ExternalProcess process)
    {
        _ = await ExternalProcess.RunAsync("/bin/kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        return await process.WaitAsync(TimeSpan.FromSeconds(30));
    }

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
