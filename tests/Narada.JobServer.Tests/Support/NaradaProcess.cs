using Narada.Testing;

namespace Narada.JobServer.Tests.Support;

/// <summary><c>narada jobserver</c> as a real child process (narada.dll sits in the test output), so a test can kill -9 it.</summary>
public sealed class NaradaProcess : IAsyncDisposable
{
    private NaradaProcess(ExternalProcess process, int port)
    {
        Process = process;
        Port = port;
    }

    public ExternalProcess Process { get; }
    public int Port { get; }

    public static async Task<NaradaProcess> StartAsync(int port, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "narada.dll");
        var process = ExternalProcess.Start(RequiredTool.Path("dotnet", "dotnet-sdk-10.0"),
            [dll, "jobserver", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. args]);
        await GearmandServer.WaitForListenerAsync(port,
            () => process.HasExited ? $"narada jobserver exited: {process.Stdout}{process.Stderr}" : null);
        return new NaradaProcess(process, port);
    }

    /// <summary>SIGKILL: no chance to flush or close anything.</summary>
    public async Task KillAsync() => await Process.DisposeAsync();

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
