using Narada.Testing;

namespace Narada.JobServer.Tests.Support;

/// <summary>Runs the real gearman-tools and script peers against a test server.</summary>
public static class Tools
{
    public static string PeersDirectory => Path.Combine(AppContext.BaseDirectory, "Peers");

    public static Task<ProcessResult> GearmanAsync(TestServer server, string? stdin, params string[] args) =>
        ExternalProcess.RunAsync(RequiredTool.Gearman, [.. server.ToolArgs, .. args], stdin, TimeSpan.FromSeconds(20));

    public static ExternalProcess StartGearmanWorker(TestServer server, params string[] args) =>
        ExternalProcess.Start(RequiredTool.Gearman, ["-w", .. server.ToolArgs, .. args]);

    public static Task<ProcessResult> GearadminAsync(TestServer server, params string[] args) =>
        ExternalProcess.RunAsync(RequiredTool.Gearadmin, [.. server.ToolArgs, .. args], null, TimeSpan.FromSeconds(20));

    public static Task<ProcessResult> PhpAsync(TestServer server, string script, params string[] args) =>
        ExternalProcess.RunAsync(RequiredTool.Php, [Path.Combine(PeersDirectory, script), server.Host, server.PortText, .. args],
            null, TimeSpan.FromSeconds(20));

    public static ExternalProcess StartPhp(TestServer server, string script, params string[] args) =>
        ExternalProcess.Start(RequiredTool.Php, [Path.Combine(PeersDirectory, script), server.Host, server.PortText, .. args]);

    public static Task<ProcessResult> PerlAsync(TestServer server, string script, params string[] args) =>
        ExternalProcess.RunAsync(RequiredTool.Perl, [Path.Combine(PeersDirectory, script), server.Host, server.PortText, .. args],
            null, TimeSpan.FromSeconds(20));

    public static ExternalProcess StartPerl(TestServer server, string script, params string[] args) =>
        ExternalProcess.Start(RequiredTool.Perl, [Path.Combine(PeersDirectory, script), server.Host, server.PortText, .. args]);

    /// <summary>Waits until the admin <c>status</c> shows <paramref name="workers"/> workers for the function.</summary>
    public static Task WaitForWorkersAsync(TestServer server, string function, int workers) =>
        Retry.UntilAsync(async () =>
        {
            await using var admin = await RawConnection.ConnectAsync(server.Port);
            var status = await admin.AdminAsync("status", listing: true);
            return status.Split('\n').Any(l => l.Split('\t') is [var f, _, _, var w] && f == function && w == workers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }, $"{workers} workers for {function}");
}
