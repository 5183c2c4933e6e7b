using Narada.Agent.Hosting;

// narada-agent: the agent on its own, published as a NativeAOT binary (see scripts/publish-agent). `narada agent` runs
// the same entry point.
return await AgentHost.RunAsync("narada-agent", args);
