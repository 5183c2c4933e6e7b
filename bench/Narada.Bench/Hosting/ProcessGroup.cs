namespace Narada.Bench.Hosting;

/// <summary>Several peer processes that live and die together.</summary>
public sealed class ProcessGroup : IAsyncDisposable
{
    private readonly List<ChildProcess> _processes = [];

    public void Add(ChildProcess process) => _processes.Add(process);

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _processes)
            await p.DisposeAsync();
        _processes.Clear();
    }
}
