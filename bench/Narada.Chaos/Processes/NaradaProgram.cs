using Narada.Testing;

namespace Narada.Chaos.Processes;

/// <summary>The built <c>narada</c> command (narada.dll beside this assembly), each verb a real process of its own.</summary>
public static class NaradaProgram
{
    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "narada.dll");

    public static string Dotnet { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : RequiredTool.Path("dotnet", "dotnet-sdk-10.0");

    /// <summary>Starts <c>narada args...</c>; GEARMAN_SERVER from the caller's shell must not redirect it.</summary>
    public static ExternalProcess Start(IEnumerable<string> args) =>
        ExternalProcess.Start(Dotnet, [Dll, .. args], new Dictionary<string, string> { ["GEARMAN_SERVER"] = "", ["DOTNET_NOLOGO"] = "1" });

    /// <summary>Starts <c>narada args...</c> and returns once something accepts connections on <paramref name="port"/>.</summary>
    public static async Task<ExternalProcess> StartListeningAsync(IEnumerable<string> args, int port, TimeSpan? timeout = null)
    {
        var list = args.ToArray();
        var process = Start(list);
        try
        {
            await GearmandServer.WaitForListenerAsync(port,
                () => process.HasExited ? $"narada {string.Join(' ', list)} exited: {process.Stderr}{process.Stdout}" : null,
                timeout ?? TimeSpan.FromSeconds(60));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
        return process;
    }
}
