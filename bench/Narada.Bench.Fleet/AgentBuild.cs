namespace Narada.Bench.Fleet;

/// <summary>One of the two agent builds compared side by side.</summary>
internal sealed record AgentBuild(string Label, string FileName, IReadOnlyList<string> Prefix)
{
    public static AgentBuild Native => new("NativeAOT narada-agent", RepoLayout.NativeAgent, []);

    public static AgentBuild Jit => new("JIT narada agent", "dotnet", [RepoLayout.JitCli, "agent"]);

    public static IReadOnlyList<AgentBuild> Both => [Native, Jit];
}
