using Narada.Testing;

namespace Narada.Core.Tests.Formats;

/// <summary>Runs one of the installed Monitoring Plugins and hands back exactly what it printed.</summary>
internal static class RealPlugin
{
    public static Task<ProcessResult> RunAsync(string name, params string[] args) =>
        ExternalProcess.RunAsync(RequiredTool.Path(name, "monitoring-plugins-basic"), args,
            environment: new Dictionary<string, string> { ["LC_ALL"] = "C" }, timeout: TimeSpan.FromSeconds(20));
}
