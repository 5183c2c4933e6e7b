using System.Globalization;
using System.Runtime.CompilerServices;
using Narada.Controller.History;
using Narada.Controller.Hosts;
using Narada.Controller.Metrics;
using Narada.Controller.Rendering;
using Narada.Core.Contracts;
using Narada.Core.Definitions;
using Narada.Gearman.Client;

namespace Narada.Controller.Rollouts;

/// <summary>
/// Pushes an Apply's files to its hosts a batch at a time. Each file is rendered here (strict Scriban, variables
/// layered defaults &lt; group &lt; host &lt; facts) and sent with its sha256 as a background job to
/// <c>narada.apply@host</c> whose answer returns on <c>narada.results</c>, so a restart loses no submitted work.
/// A host that cannot be rendered gets nothing and counts as failed; the rollout stops once failures exceed
/// max_failures and the hosts it did not reach are reported as skipped.
/// </summary>
public sealed class ApplyRollout(
    GearmanClient client,
    HostRegistry hosts,
    Func<DefinitionSet> definitions,
    TemplateRenderer renderer,
    ApplyWaiters waiters,
    HistoryStore history,
    ControllerMetrics metrics,
    Action<string, RolloutRequest>? started = null)
{
    /// <summary>Runs a rollout, or, with <paramref name="resume"/>, goes on with one another member started: the same
    /// id, and the hosts it had reached left alone.</summary>
    public async IAsyncEnumerable<RolloutEvent> RunAsync(RolloutRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken = default, RolloutResume? resume = null)
    {
        var set = definitions();
        var id = resume?.Id ?? $"{DateTimeOffset.UtcNow:yyyyMMddTHHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        if (!set.Applies.TryGetValue(request.Apply, out var apply))
        {
            yield return new RolloutEvent(RolloutEventKind.Error, id)
            {
                Apply = request.Apply,
                Message = $"no apply '{request.Apply}' (have: {string.Join(", ", set.Applies.Keys.Order())})"
            };
            yield break;
        }
        var rollout = apply.Rollout;
        if (request.Batch is { } batchText)
        {
            if (!RolloutAmount.TryParse(batchText, out var amount, out var why))
            {
                yield return new RolloutEvent(RolloutEventKind.Error, id) { Apply = apply.Name, Message = $"batch: {why}" };
                yield break;
            }
            rollout = rollout with { Batch = amount };
        }

        var all = Targets(apply, set, request);
        var targets = resume is null ? all : all.Where(h => !resume.Done.Contains(h.Name)).ToList();
        // Batch size and failure budget as the whole rollout had them, also when resuming it.
        int batchSize = rollout.BatchSize(all.Count);
        var batches = targets.Chunk(batchSize).ToArray();
        int allowed = rollout.AllowedFailures(all.Count);
        if (resume is null)
        {
            started?.Invoke(id, request);
            history.Add(new RolloutRecord(id, apply.Name, DateTimeOffset.UtcNow, RolloutStatus.Running, request.DryRun));
        }
        yield return new RolloutEvent(RolloutEventKind.Started, id)
        { Apply = apply.Name, Hosts = targets.Select(h => h.Name).ToArray(), Batches = batches.Length, DryRun = request.DryRun };

        var counts = new Dictionary<string, int>();
        int failedHosts = 0;
        var status = RolloutStatus.Finished;
        // A host asked for by name that the rollout will not reach is said so, not silently left out: a typo in
        // --hosts must not read as success.
        foreach (var name in request.Hosts.Where(name => all.All(t => t.Name != name) && resume?.Done.Contains(name) != true).Distinct())
            yield return Record(new RolloutEvent(RolloutEventKind.Host, id)
            {
                Apply = apply.Name,
                Host = name,
                Outcome = ApplyOutcome.Skipped,
                Message = WhyNotTargeted(name, apply, set, request)
            });
        for (int b = 0; b < batches.Length; b++)
        {
            if (failedHosts > allowed)
            {
                foreach (var host in batches[b])
                    yield return Record(new RolloutEvent(RolloutEventKind.Host, id)
                    {
                        Apply = apply.Name,
                        Host = host.Name,
                        Outcome = ApplyOutcome.Skipped,
                        Message = $"not reached: the rollout stopped after {failedHosts} failed host(s) (max_failures {allowed})"
                    });
                status = RolloutStatus.Stopped;
                continue;
            }
            if (b > 0 && rollout.Pause > TimeSpan.Zero)
                await Task.Delay(rollout.Pause, cancellationToken);
            yield return new RolloutEvent(RolloutEventKind.Batch, id)
            {
                Apply = apply.Name,
                Batch = b + 1,
                Batches = batches.Length,
                Hosts = batches[b].Select(h => h.Name).ToArray()
            };
            var results = await Task.WhenAll(batches[b].Select(h => ApplyHostAsync(id, apply, set, h, request, cancellationToken)));
            foreach (var hostEvents in results)
            {
                if (hostEvents.Any(e => e.Outcome is { } o && o.IsFailure()))
                    failedHosts++;
                foreach (var e in hostEvents)
                    yield return Record(e);
            }
        }

        history.Add(new RolloutRecord(id, apply.Name, DateTimeOffset.UtcNow, status, request.DryRun));
        metrics.ApplyLastRun.WithLabels(apply.Name).Set(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
        yield return new RolloutEvent(status == RolloutStatus.Stopped ? RolloutEventKind.Stopped : RolloutEventKind.Finished, id)
        {
            Apply = apply.Name,
            Counts = counts,
            DryRun = request.DryRun,
            Message = status == RolloutStatus.Stopped ? $"stopped: {failedHosts} host(s) failed, max_failures allows {allowed}"
                : targets.Count == 0 ? "no live host matched" : null
        };

        RolloutEvent Record(RolloutEvent e)
        {
            var outcome = e.Outcome!.Value.Name();
            counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
            if (!request.DryRun)
                metrics.ApplyOutcomes.WithLabels(apply.Name, outcome).Inc();
            history.Add(new RolloutHostRecord(id, DateTimeOffset.UtcNow, e.Host!, e.Path ?? "", e.Outcome.Value, e.Message ?? "") { Diff = e.Diff });
            return e;
        }
    }

    private string WhyNotTargeted(string name, ApplyDefinition apply, DefinitionSet set, RolloutRequest request)
    {
        if (!hosts.TryGet(name, out var host) || host.DeclaredOnly)
            return $"not reached: no agent named {name} has announced itself";
        if (host.Status != HostStatus.Up)
            return $"not reached: {name} is down (last heartbeat {host.LastHeartbeat:u})";
        var tags = set.TagsOf(name, host.Tags);
        if (!apply.Targets.Matches(name, tags))
            return $"not reached: {name} is not among {apply.Name}'s targets";
        return $"not reached: {name} lacks tag(s) {string.Join(", ", request.Tags.Where(t => !tags.Contains(t)))}";
    }

    private List<HostRecord> Targets(ApplyDefinition apply, DefinitionSet set, RolloutRequest request) =>
        hosts.All
            .Where(h => h.Status == HostStatus.Up)
            .Where(h => apply.Targets.Matches(h.Name, set.TagsOf(h.Name, h.Tags)))
            .Where(h => request.Hosts.Count == 0 || request.Hosts.Contains(h.Name))
            .Where(h => request.Tags.All(t => set.TagsOf(h.Name, h.Tags).Contains(t)))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToList();

    private async Task<List<RolloutEvent>> ApplyHostAsync(string id, ApplyDefinition apply, DefinitionSet set, HostRecord host,
        RolloutRequest request, CancellationToken cancellationToken)
    {
        var events = new List<RolloutEvent>();
        var variables = Variables(apply, set, host);
        // Render every file first: a host whose templates fail gets nothing at all.
        var rendered = new List<(ApplyFile File, string Content, string Sha)>();
        foreach (var file in apply.Files)
        {
            var result = file.Template is { } template
                ? renderer.Render(template, variables)
                : renderer.RenderText(file.Content ?? "", $"{apply.Name}:{file.Path}", variables);
            if (!result.Succeeded)
            {
                events.Add(new RolloutEvent(RolloutEventKind.Host, id)
                {
                    Apply = apply.Name,
                    Host = host.Name,
                    Path = file.Path,
                    Outcome = ApplyOutcome.Failed,
                    Message = "not sent: " + string.Join("; ", result.Errors)
                });
                return events;
            }
            rendered.Add((file, result.Content!, result.Sha256!));
        }
        foreach (var (file, content, sha) in rendered)
        {
            var apiRequest = new ApplyRequest
            {
                RolloutId = id,
                Path = file.Path,
                Content = content,
                Sha256 = sha,
                Mode = file.Mode is { } mode ? Convert.ToString((int)mode, 8).PadLeft(4, '0') : null,
                Owner = file.Owner,
                Group = file.Group,
                Validate = file.Validate,
                OnChange = file.OnChange,
                DryRun = request.DryRun,
                ReplyTo = FunctionNames.Results,
            };
            var answer = waiters.Expect(id, host.Name, file.Path);
            try
            {
                await client.SubmitBackgroundAsync(FunctionNames.ForHost(DefinitionKind.Apply, host.Name), Envelope.Serialize(apiRequest),
                    cancellationToken: cancellationToken);
                var result = await answer.WaitAsync(request.HostTimeout, cancellationToken);
                events.Add(new RolloutEvent(RolloutEventKind.Host, id)
                {
                    Apply = apply.Name,
                    Host = host.Name,
                    Path = file.Path,
                    Outcome = result.Outcome,
                    Message = result.Message,
                    Diff = result.Diff.Length > 0 ? result.Diff : null
                });
                if (result.Outcome.IsFailure())
                    break; // later files of this host depend on the earlier ones being in place
            }
            catch (Exception e) when (e is TimeoutException or Gearman.Transport.GearmanConnectionException or GearmanServerException
                                          or System.Net.Sockets.SocketException)
            {
                waiters.Forget(id, host.Name, file.Path);
                events.Add(new RolloutEvent(RolloutEventKind.Host, id)
                {
                    Apply = apply.Name,
                    Host = host.Name,
                    Path = file.Path,
                    Outcome = ApplyOutcome.Failed,
                    Message = e is TimeoutException
                        ? $"no answer from {host.Name} within {Duration.Format(request.HostTimeout)} (the job stays queued)"
                        : $"could not submit: {e.Message}"
                });
                break;
            }
        }
        return events;
    }

    private static TemplateVariables Variables(ApplyDefinition apply, DefinitionSet set, HostRecord host)
    {
        set.Hosts.TryGetValue(host.Name, out var hostDefinition);
        var groups = set.Groups.Values
            .Where(g => g.Hosts.Contains(host.Name) || (hostDefinition?.Groups.Contains(g.Name) ?? false))
            .OrderBy(g => g.Name, StringComparer.Ordinal)
            .Select(g => g.Vars)
            .ToArray();
        return new TemplateVariables
        {
            HostName = host.Name,
            Tags = set.TagsOf(host.Name, host.Tags).Order().ToArray(),
            Defaults = apply.Vars,
            GroupVars = groups,
            HostVars = hostDefinition?.Vars ?? new Dictionary<string, object?>(),
            Facts = host.Facts,
        };
    }
}
