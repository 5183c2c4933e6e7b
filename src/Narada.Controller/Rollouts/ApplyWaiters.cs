using System.Collections.Concurrent;
using Narada.Core.Contracts;

namespace Narada.Controller.Rollouts;

/// <summary>Matches ApplyResults arriving on narada.results to the rollout waiting for them (by rollout, host and path).</summary>
public sealed class ApplyWaiters
{
    private readonly ConcurrentDictionary<(string Rollout, string Host, string Path), TaskCompletionSource<ApplyResult>> _waiting = new();

    public Task<ApplyResult> Expect(string rollout, string host, string path) =>
        _waiting.GetOrAdd((rollout, host, path), _ => new TaskCompletionSource<ApplyResult>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Hands a result to its waiter; false when nobody waits (a rollout from before a restart).</summary>
    public bool Complete(ApplyResult result) =>
        _waiting.TryRemove((result.RolloutId, result.Host, result.Path), out var waiter) && waiter.TrySetResult(result);

    public void Forget(string rollout, string host, string path) => _waiting.TryRemove((rollout, host, path), out _);

    /// <summary>The rollouts with an answer still awaited here.</summary>
    public IReadOnlyCollection<string> Rollouts => _waiting.Keys.Select(k => k.Rollout).Distinct().ToArray();
}
