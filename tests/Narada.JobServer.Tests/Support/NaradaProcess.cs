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

    /// <summary>dotnet and the test output's narada.dll: what goes before narada's own arguments.</summary>
    public static string[] Command => [RequiredTool.Path("dotnet", "dotnet-sdk-10.0"), Path.Combine(AppContext.BaseDirectory, "narada.dll")];

    /// <summary>Runs <c>narada</c> with <paramref name="args"/> to completion.</summary>
    public static Task<ProcessResult> RunAsync(params string[] args) => ExternalProcess.RunAsync(Command[0], [.. Command[1..], .. args]);

    /// <summary><c>narada jobserver -p <paramref name="port"/></c> with <paramref name="args"/>, once it listens.</summary>
    public static Task<NaradaProcess> StartAsync(int port, params string[] args) =>
        LaunchAsync(port, [.. Command, "jobserver", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. args]);

    /// <summary>A whole command line that runs a job server on <paramref name="port"/> (under prlimit, or with the port
    /// among its own options), once it listens.</summary>
    public static async Task<NaradaProcess> LaunchAsync(int port, string[] commandLine)
    {
        var process = ExternalProcess.Start(commandLine[0], commandLine[1..]);
        await GearmandServer.WaitForListenerAsync(port,
            () => process.HasExited ? $"narada jobserver exited: {process.Stdout}{process.Stderr}" : null);
        return new NaradaProcess(process, port);
    }

    /// <summary>SIGKILL: no chance to flush or close anything.</summary>
    public async Task KillAsync() => await Process.DisposeAsync();

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
