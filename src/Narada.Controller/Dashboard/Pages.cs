using System.Globalization;
using Narada.Controller.Access;
using Narada.Controller.Hosts;
using Narada.Controller.Intake;
using Narada.Controller.State;
using Narada.Core.Contracts;
using Narada.Core.Formats;
using Narada.Gearman.Admin;
using static Narada.Controller.Dashboard.Html;

namespace Narada.Controller.Dashboard;

/// <summary>The dashboard's pages, each the inside of <c>&lt;main&gt;</c>, built from what the controller holds.</summary>
internal static class Pages
{
    /// <summary>Problems first: hard CRITICAL, then WARNING, UNKNOWN, stale; within each, longest first.</summary>
    public static string Overview(NaradaController controller)
    {
        var now = DateTimeOffset.UtcNow;
        var hosts = controller.Hosts.All.Where(h => !h.DeclaredOnly).ToArray();
        // One pass over every check: the counts by state, and the problems to list.
        var counts = new int[5]; // CRITICAL, WARNING, UNKNOWN, stale, OK
        var problems = new List<CheckEntry>();
        foreach (var e in controller.Checks.All)
        {
            if (!e.State.HasResult)
                continue;
            counts[e.Stale ? 3 : e.State.Status switch { CheckStatus.Critical => 0, CheckStatus.Warning => 1, CheckStatus.Ok => 4, _ => 2 }]++;
            if (IsProblem(e))
                problems.Add(e);
        }
        problems.Sort((a, b) => Severity(a) != Severity(b) ? Severity(a).CompareTo(Severity(b)) : a.State.LastChange.CompareTo(b.State.LastChange));
        var html = new Html().Raw("<h1>What is broken right now</h1>");
        html.Raw("""<div class="counts" aria-label="checks by state">""");
        string[] labels = ["CRITICAL", "WARNING", "UNKNOWN", "stale", "OK"];
        string[] classes = ["critical", "warning", "unknown", "stale", "ok"];
        for (int i = 0; i < labels.Length; i++)
            html.Raw($"""<a class="{classes[i]}" href="/checks?state={U(labels[i])}"><b>{counts[i]}</b>{E(labels[i])}</a>""");
        int down = hosts.Count(h => h.Status != HostStatus.Up);
        html.Raw($"""<a class="{(down > 0 ? "critical" : "ok")}" href="/hosts?status=down"><b>{down}</b>hosts down</a>""");
        html.Raw($"""<span><b>{hosts.Length}</b>hosts</span></div>""");
        if (problems.Count == 0)
            html.Raw("""<p class="empty">✔ No problems: every check with a result is OK.</p>""");
        else
            CheckTable(html, controller, problems, now, caption: "Problems, worst and longest first");
        var downHosts = hosts.Where(h => h.Status != HostStatus.Up).OrderBy(h => h.LastHeartbeat).ToArray();
        if (downHosts.Length > 0)
        {
            html.Raw("<h2>Hosts down</h2>");
            HostTable(html, downHosts);
        }
        return html.ToString();
    }

    public static string Checks(NaradaController controller, string? state)
    {
        var entries = controller.Checks.All.Where(e => state is null || StateName(e) == state)
            .OrderBy(e => e.State.Check, StringComparer.Ordinal).ThenBy(e => e.State.Host, StringComparer.Ordinal).ToArray();
        var html = new Html().Raw($"<h1>Checks{(state is null ? "" : " — " + E(state))}</h1>");
        Filter(html, "check, host, state or output");
        CheckTable(html, controller, entries, DateTimeOffset.UtcNow, caption: null);
        return html.ToString();
    }

    public static string? Check(NaradaController controller, string check, string host, Caller caller)
    {
        if (!controller.Checks.TryGet(check, host, out var entry))
            return null;
        var s = entry.State;
        var html = new Html().Raw($"""<h1>{E(check)} on <a href="/hosts/{U(host)}">{E(host)}</a> {Status(s.Status, entry.Stale)}</h1>""");
        html.Raw("<table><tbody>");
        Row(html, "output", $"""<span class="output">{E(s.Output)}</span>""");
        if (entry.LongOutput.Length > 0)
            Row(html, "long output", $"<pre>{E(entry.LongOutput)}</pre>");
        foreach (var hook in entry.Hooks)
            Row(html, $"hook {hook.Command}", $"""<pre aria-label="output of the hook {E(hook.Command)}">{E(hook.Output)}</pre>{(hook.ExitCode is { } code ? $"exit {code}" : "")}""");
        Row(html, "hard state", Status(s.HardStatus));
        Row(html, "state type", $"{E(s.Type.ToString().ToLowerInvariant())}, attempt {s.Attempt} of {s.MaxAttempts}");
        Row(html, "flapping", s.IsFlapping ? $"""<span class="warning">⚑ yes</span> ({s.PercentStateChange:0.#}% state change)""" : $"no ({s.PercentStateChange:0.#}% state change)");
        Row(html, "last result", Time(s.LastResult));
        Row(html, "last change", Time(s.LastChange));
        Row(html, "last OK", Time(s.LastOk));
        Row(html, "plugin", E(entry.Plugin));
        Row(html, "duration", entry.LastDurationSeconds.ToString("0.000 's'", CultureInfo.InvariantCulture));
        var ack = controller.Acks.Of(check, host);
        if (ack is not null)
            Row(html, "acknowledged", $"""✓ by {E(ack.Author)} {Time(ack.At)}{(ack.Sticky ? " (sticky: until OK)" : "")}: {E(ack.Comment)}""");
        if (controller.HeldBy(check, host) is { } held && s.HardStatus != CheckStatus.Ok)
            Row(html, "handlers", $"held: {E(held)}");
        html.Raw("</tbody></table>");
        if (caller.May(Need.Operate))
        {
            html.Raw($"""<div class="actions"><form class="inline" method="post" action="/ui/checks/{U(check)}/{U(host)}/run">{FormToken(caller)}<button type="submit">Run now</button></form>""");
            if (ack is not null)
                html.Raw($"""<form class="inline" method="post" action="/ui/checks/{U(check)}/{U(host)}/unack">{FormToken(caller)}<button type="submit">Remove acknowledgement</button></form>""");
            html.Raw("</div>");
            if (ack is null && s.Status != CheckStatus.Ok)
                html.Raw($"""
                    <h2>Acknowledge</h2>
                    <form class="stack" method="post" action="/ui/checks/{U(check)}/{U(host)}/ack">{FormToken(caller)}
                      <label for="ack-comment">comment</label><input id="ack-comment" name="comment" required placeholder="who is on it, and why">
                      <label for="ack-sticky">until OK</label><input id="ack-sticky" name="sticky" type="checkbox" value="true">
                      <button type="submit">Acknowledge</button>
                    </form>
                    """);
        }

        var results = controller.History.RecentResults(check, host, 60).Reverse().ToArray();
        html.Raw("<h2>Over time</h2><div class=\"charts\">");
        Chart(html, "status (0 OK … 3 UNKNOWN)", [.. results.Select(r => (double)(int)r.Status)]);
        Chart(html, "run time (ms)", [.. results.Select(r => r.DurationMs)]);
        html.Raw("</div>");
        if (entry.PerfData.Count > 0)
        {
            html.Raw("<h2>Performance data</h2><table><thead><tr><th>label</th><th>value</th><th>warn</th><th>crit</th></tr></thead><tbody>");
            foreach (var p in entry.PerfData)
                html.Raw($"<tr><td>{E(p.Label)}</td><td>{E(p.Value?.ToString(CultureInfo.InvariantCulture) ?? "U")}{E(p.Uom)}</td>" +
                         $"<td>{E(p.Warn)}</td><td>{E(p.Crit)}</td></tr>");
            html.Raw("</tbody></table>");
        }
        html.Raw("<h2>State changes</h2>");
        EventTable(html, controller.History.RecentEvents(50, check, host));
        html.Raw($"""<p><a href="/silences?check={U(check)}&amp;host={U(host)}">Silence this check on {E(host)}…</a></p>""");
        return html.ToString();
    }

    public static string Hosts(NaradaController controller, string? status)
    {
        var hosts = controller.Hosts.All.Where(h => !h.DeclaredOnly)
            .Where(h => status is null || (status == "down") == (h.Status != HostStatus.Up))
            .OrderBy(h => h.Name, StringComparer.Ordinal).ToArray();
        var html = new Html().Raw($"<h1>Hosts{(status is null ? "" : " — " + E(status))}</h1>");
        Filter(html, "name or tag");
        HostTable(html, hosts);
        return html.ToString();
    }

    public static string? Host(NaradaController controller, string name)
    {
        if (!controller.Hosts.TryGet(name, out var host))
            return null;
        var html = new Html().Raw($"<h1>{E(name)} {HostBadge(host.Status == HostStatus.Up)}</h1>");
        html.Raw("<table><tbody>");
        Row(html, "last heartbeat", Time(host.LastHeartbeat));
        Row(html, "agent version", E(host.AgentVersion ?? "?"));
        Row(html, "tags", Tags(host.Tags));
        if (host.NameConflict)
            Row(html, "name conflict", $"""<span class="critical">✖ several agents report as {E(name)}: {E(string.Join(", ", host.RecentInstances.Keys.Order()))}</span>""");
        html.Raw("</tbody></table><h2>Statistics</h2><div class=\"charts\">");
        foreach (var chart in Metrics.SeriesHistory.Charts)
            Chart(html, chart, controller.Samples.History.Of(name, chart));
        html.Raw("</div><h2>Checks</h2>");
        CheckTable(html, controller, controller.Checks.All.Where(e => e.State.Host == name).OrderBy(e => e.State.Check).ToArray(),
            DateTimeOffset.UtcNow, caption: null);
        html.Raw("<h2>Recent events</h2>");
        EventTable(html, controller.History.RecentEvents(30, host: name));
        html.Raw("<h2>Facts</h2><table><tbody>");
        foreach (var (key, value) in host.Facts.OrderBy(f => f.Key, StringComparer.Ordinal))
            Row(html, key, E(value switch { null => "", string text => text, System.Collections.IEnumerable list => string.Join(", ", list.Cast<object?>()), _ => Convert.ToString(value, CultureInfo.InvariantCulture) }));
        return html.Raw("</tbody></table>").ToString();
    }

    public static string Events(NaradaController controller, string? check, string? host)
    {
        var html = new Html().Raw("<h1>Events</h1>");
        html.Raw($"""
            <form class="filter" method="get" action="/events" role="search">
              <label for="events-check">check</label><input id="events-check" name="check" value="{E(check)}">
              <label for="events-host">host</label><input id="events-host" name="host" value="{E(host)}">
              <button type="submit">Filter</button>
            </form>
            """);
        EventTable(html, controller.History.RecentEvents(200, check is { Length: > 0 } ? check : null, host is { Length: > 0 } ? host : null));
        return html.ToString();
    }

    public static string Silences(NaradaController controller, string? check, string? host, Caller caller)
    {
        bool operate = caller.May(Need.Operate);
        var html = new Html().Raw("<h1>Silences</h1>");
        var active = controller.Silences.Active(DateTimeOffset.UtcNow);
        if (active.Count == 0)
            html.Raw("""<p class="empty">No silences: every handler runs.</p>""");
        else
        {
            html.Raw($"<table><thead><tr><th>covers</th><th>until</th><th>reason</th>{(operate ? "<th></th>" : "")}</tr></thead><tbody>");
            foreach (var s in active)
                html.Raw($"""<tr data-filter="{E($"{s.Check} {s.Host} {s.Tag} {s.Reason}")}"><td>{E(Covers(s))}</td><td>{Time(s.Until)}</td><td>{E(s.Reason)}</td>""" +
                         (operate ? $"""<td><form class="inline" method="post" action="/ui/silences/{U(s.Id)}/lift">{FormToken(caller)}<button type="submit">Lift</button></form></td>""" : "") +
                         "</tr>");
            html.Raw("</tbody></table>");
        }
        if (!operate)
            return html.Raw($"""<p class="muted">Adding and lifting silences needs the operator role; you are {E(caller.Name)} ({E(caller.Role is { } r ? Roles.Name(r) : "signed out")}).</p>""").ToString();
        html.Raw($"""
            <h2>Add a silence</h2>
            <form class="stack" method="post" action="/ui/silences">{FormToken(caller)}
              <label for="silence-check">check</label><input id="silence-check" name="check" value="{E(check)}" placeholder="any">
              <label for="silence-host">host</label><input id="silence-host" name="host" value="{E(host)}" placeholder="any">
              <label for="silence-tag">tag</label><input id="silence-tag" name="tag" placeholder="any">
              <label for="silence-duration">for</label><input id="silence-duration" name="duration" value="2h" required>
              <label for="silence-reason">reason</label><input id="silence-reason" name="reason" required>
              <button type="submit">Add silence</button>
            </form>
            """);
        return html.ToString();
    }

    public static string Audit(NaradaController controller, string? actor, string? action)
    {
        var html = new Html().Raw("<h1>Audit</h1>");
        html.Raw($"""
            <form class="filter" method="get" action="/audit" role="search">
              <label for="audit-actor">who</label><input id="audit-actor" name="actor" value="{E(actor)}" placeholder="anyone">
              <label for="audit-action">did</label><input id="audit-action" name="action" value="{E(action)}" placeholder="anything (login, silence, apply…)">
              <button type="submit">Show</button>
            </form>
            """);
        var entries = controller.History.RecentAudit(200, actor, action);
        if (entries.Count == 0)
            return html.Raw("""<p class="empty">Nothing recorded yet: changes, logins and refused sign-ins appear here.</p>""").ToString();
        html.Raw("<table><thead><tr><th>when</th><th>who</th><th>did</th><th>to</th><th>details</th><th>from</th></tr></thead><tbody>");
        foreach (var e in entries)
        {
            var failed = e.Action.EndsWith(".failed", StringComparison.Ordinal);
            html.Raw($"""<tr><td>{Time(e.At)}</td><td>{E(e.Actor)}</td><td{(failed ? " class=\"critical\"" : "")}>{E(e.Action)}</td><td>{E(e.Target)}</td><td class="output">{E(e.Detail)}</td><td>{E(e.Address)}</td></tr>""");
        }
        return html.Raw("</tbody></table>").ToString();
    }

    public static string Rollouts(NaradaController controller, Caller caller)
    {
        var html = new Html().Raw("<h1>Rollouts</h1>");
        var applies = controller.Definitions.Applies.Keys.Order(StringComparer.Ordinal).ToArray();
        if (applies.Length > 0 && caller.May(Need.Admin))
        {
            html.Raw($"""<form class="filter" method="post" action="/ui/rollouts">{FormToken(caller)}<label for="dry-apply">Dry run of</label><select id="dry-apply" name="apply">""");
            foreach (var apply in applies)
                html.Raw($"<option>{E(apply)}</option>");
            html.Raw("""</select><button type="submit">Start dry run</button><span class="muted">shows what would change, changes nothing</span></form>""");
        }
        var rollouts = controller.History.RecentRollouts(100);
        if (rollouts.Count == 0)
            return html.Raw("""<p class="empty">No rollouts yet.</p>""").ToString();
        html.Raw("<table><thead><tr><th>rollout</th><th>apply</th><th>started</th><th>status</th></tr></thead><tbody>");
        foreach (var r in rollouts)
            html.Raw($"""<tr><td><a href="/rollouts/{U(r.Id)}">{E(r.Id)}</a></td><td>{E(r.Apply)}{(r.DryRun ? " <span class=\"tag\">dry run</span>" : "")}</td>""" +
                     $"<td>{Time(r.At)}</td><td>{RolloutStatus(r.Status)}</td></tr>");
        return html.Raw("</tbody></table>").ToString();
    }

    public static string? Rollout(NaradaController controller, string id, Caller caller)
    {
        var rollout = controller.History.Rollout(id);
        if (rollout is null)
            return null;
        var outcomes = controller.History.RolloutHosts(id);
        var html = new Html().Raw($"<h1>Rollout {E(id)}: {E(rollout.Apply)}{(rollout.DryRun ? " (dry run)" : "")} {RolloutStatus(rollout.Status)}</h1>");
        var targets = controller.Definitions.Applies.TryGetValue(rollout.Apply, out var apply)
            ? controller.Hosts.All.Count(h => apply.Targets.Matches(h.Name, controller.Definitions.TagsOf(h.Name, h.Tags)))
            : outcomes.Select(o => o.Host).Distinct().Count();
        int reached = outcomes.Select(o => o.Host).Distinct().Count();
        html.Raw($"""<p><progress max="{Math.Max(1, targets)}" value="{reached}" aria-label="hosts reached">{reached}/{targets}</progress> {reached} of {targets} host(s) reached, started {Time(rollout.At)}</p>""");
        html.Raw("<table><thead><tr><th>host</th><th>file</th><th>outcome</th><th>message</th></tr></thead><tbody>");
        foreach (var o in outcomes)
            html.Raw($"""<tr><td><a href="/hosts/{U(o.Host)}">{E(o.Host)}</a></td><td>{E(o.Path)}</td><td>{Outcome(o.Outcome)}</td><td class="output">{E(o.Message)}</td></tr>""");
        html.Raw("</tbody></table>");
        var diffs = outcomes.Where(o => o.Diff is { Length: > 0 }).ToList();
        if (diffs.Count > 0 && !caller.May(Need.Admin))
            return html.Raw($"""<p class="muted">{diffs.Count} diff(s) hidden: they show rendered files, which may hold secrets; admins see them.</p>""").ToString();
        foreach (var o in diffs)
            html.Raw($"""<h2>{E(o.Host)}: {E(o.Path)}</h2><pre class="diff" aria-label="diff of {E(o.Path)} on {E(o.Host)}">{E(o.Diff)}</pre>""");
        return html.ToString();
    }

    public static async Task<string> JobServersAsync(NaradaController controller, CancellationToken cancellationToken)
    {
        var html = new Html().Raw("<h1>Job servers</h1>");
        foreach (var server in controller.JobServers)
        {
            html.Raw($"<h2>{E(server.ToString())}</h2>");
            try
            {
                await using var admin = await GearmanAdminClient.ConnectAsync(server, TimeSpan.FromSeconds(3), cancellationToken: cancellationToken);
                var functions = await admin.GetStatusAsync(cancellationToken);
                html.Raw("""<div class="filter"></div><table><thead><tr><th>function</th><th>queued</th><th>running</th><th>workers</th></tr></thead><tbody>""");
                foreach (var f in functions.OrderBy(f => f.Function, StringComparer.Ordinal))
                    html.Raw($"""<tr data-filter="{E(f.Function)}"><td>{E(f.Function)}</td><td>{f.Total - f.Running}</td><td>{f.Running}</td><td>{(f.AvailableWorkers == 0 && f.Total > 0 ? $"<span class=\"critical\">✖ 0</span>" : f.AvailableWorkers.ToString(CultureInfo.InvariantCulture))}</td></tr>""");
                html.Raw("</tbody></table>");
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                html.Raw($"""<p class="critical">✖ cannot ask it: {E(e.Message)}</p>""");
            }
        }
        return html.ToString();
    }

    private static bool IsProblem(CheckEntry e) => e.Stale || e.State.Status != CheckStatus.Ok;

    /// <summary>Hard CRITICAL first, then soft CRITICAL, WARNING, UNKNOWN, stale.</summary>
    private static int Severity(CheckEntry e) => e.Stale ? 9 : e.State.Status switch
    {
        CheckStatus.Critical => e.State.Type == StateType.Hard ? 0 : 1,
        CheckStatus.Warning => e.State.Type == StateType.Hard ? 2 : 3,
        CheckStatus.Unknown => 4,
        _ => 8,
    };

    private static string StateName(CheckEntry e) => e.Stale ? "stale" : Names.Of(e.State.Status);

    private static void CheckTable(Html html, NaradaController controller, IReadOnlyList<CheckEntry> entries, DateTimeOffset now, string? caption)
    {
        if (entries.Count == 0)
        {
            html.Raw("""<p class="empty">No checks here.</p>""");
            return;
        }
        html.Raw("<table>");
        if (caption is not null)
            html.Raw($"<caption class=\"muted\">{E(caption)}</caption>");
        html.Raw("""<thead><tr><th>state</th><th>check</th><th>host</th><th>since</th><th class="wide">output</th></tr></thead><tbody>""");
        foreach (var e in entries)
        {
            var s = e.State;
            var tags = controller.Hosts.TryGet(s.Host, out var h) ? controller.Definitions.TagsOf(s.Host, h.Tags) : controller.Definitions.TagsOf(s.Host, []);
            bool silenced = controller.Silences.IsSilenced(s.Check, s.Host, tags, now);
            html.Raw($"""<tr data-filter="{E($"{s.Check} {s.Host} {StateName(e)} {s.Output}")}"><td>{Status(s.Status, e.Stale)}""");
            if (s.Type == StateType.Soft && s.Status != CheckStatus.Ok)
                html.Raw($"""<span class="flag muted" title="soft: attempt {s.Attempt} of {s.MaxAttempts}">soft {s.Attempt}/{s.MaxAttempts}</span>""");
            if (s.IsFlapping)
                html.Raw("""<span class="flag warning" title="flapping">⚑ flapping</span>""");
            if (silenced)
                html.Raw("""<span class="flag muted" title="silenced: handlers do not run">🔕 silenced</span>""");
            if (controller.Acks.Of(s.Check, s.Host) is { } ack)
                html.Raw($"""<span class="flag muted" title="acknowledged by {E(ack.Author)}: {E(ack.Comment)}">✓ acknowledged</span>""");
            if (!silenced && s.HardStatus != CheckStatus.Ok && controller.HeldBy(s.Check, s.Host) is { } held)
                html.Raw($"""<span class="flag muted" title="handlers held: {E(held)}">{(held.StartsWith("in downtime", StringComparison.Ordinal) ? "🛠 downtime" : "⤷ suppressed")}</span>""");
            html.Raw($"""</td><td><a href="/checks/{U(s.Check)}/{U(s.Host)}">{E(s.Check)}</a></td><td><a href="/hosts/{U(s.Host)}">{E(s.Host)}</a></td>""" +
                     $"""<td>{Time(s.LastChange)}</td><td class="output wide">{E(s.Output)}</td></tr>""");
        }
        html.Raw("</tbody></table>");
    }

    private static void HostTable(Html html, IReadOnlyList<HostRecord> hosts)
    {
        if (hosts.Count == 0)
        {
            html.Raw("""<p class="empty">No hosts here.</p>""");
            return;
        }
        html.Raw("""<table><thead><tr><th>host</th><th>status</th><th>last heartbeat</th><th class="wide">agent</th><th>tags</th></tr></thead><tbody>""");
        foreach (var h in hosts)
            html.Raw($"""<tr data-filter="{E($"{h.Name} {string.Join(' ', h.Tags)} {(h.Status == HostStatus.Up ? "up" : "down")}")}"><td><a href="/hosts/{U(h.Name)}">{E(h.Name)}</a>""" +
                     (h.NameConflict ? """<span class="flag critical" title="several agents report this name">✖ name conflict</span>""" : "") +
                     $"</td><td>{HostBadge(h.Status == HostStatus.Up)}</td><td>{Time(h.LastHeartbeat)}</td>" +
                     $"""<td class="wide">{E(h.AgentVersion ?? "?")}</td><td>{Tags(h.Tags)}</td></tr>""");
        html.Raw("</tbody></table>");
    }

    private static void EventTable(Html html, IReadOnlyList<History.EventRecord> events)
    {
        if (events.Count == 0)
        {
            html.Raw("""<p class="empty">No state changes recorded.</p>""");
            return;
        }
        html.Raw("""<table><thead><tr><th>when</th><th>check</th><th>host</th><th>change</th><th class="wide">output</th></tr></thead><tbody>""");
        foreach (var e in events)
            html.Raw($"""<tr><td>{Time(e.At)}</td><td><a href="/checks/{U(e.Check)}/{U(e.Host)}">{E(e.Check)}</a></td><td><a href="/hosts/{U(e.Host)}">{E(e.Host)}</a></td>""" +
                     $"""<td>{Status(e.Previous)} → {Status(e.Current)} <span class="muted">{E(e.Kind)}</span></td><td class="output wide">{E(e.Output)}</td></tr>""");
        html.Raw("</tbody></table>");
    }

    private static void Filter(Html html, string what) =>
        html.Raw($"""<div class="filter" role="search"><label for="filter">Filter</label><input id="filter" type="search" placeholder="{E(what)} (press /)" autocomplete="off"></div>""");

    private static void Row(Html html, string label, string value) => html.Raw($"<tr><th scope=\"row\">{E(label)}</th><td>{value}</td></tr>");

    private static void Chart(Html html, string label, IReadOnlyList<double> values) =>
        html.Raw($"<figure>{Sparkline(values, label)}<figcaption>{E(label)}</figcaption></figure>");

    private static string Tags(IEnumerable<string> tags) => string.Concat(tags.Order(StringComparer.Ordinal).Select(t => $"<span class=\"tag\">{E(t)}</span>"));

    private static string Covers(Handlers.Silence s) =>
        string.Join(", ", new[] { s.Check is null ? null : $"check {s.Check}", s.Host is null ? null : $"host {s.Host}", s.Tag is null ? null : $"tag {s.Tag}" }
            .OfType<string>()) is { Length: > 0 } text ? text : "everything";

    private static string RolloutStatus(Rollouts.RolloutStatus status) => status switch
    {
        Controller.Rollouts.RolloutStatus.Running => """<span class="status unknown">⟳ running</span>""",
        Controller.Rollouts.RolloutStatus.Finished => """<span class="status ok">✔ finished</span>""",
        Controller.Rollouts.RolloutStatus.Stopped => """<span class="status critical">■ stopped</span>""",
        _ => """<span class="status stale">◷ interrupted</span>""",
    };

    private static string Outcome(ApplyOutcome outcome) => outcome.IsFailure()
        ? $"""<span class="status critical">✖ {E(outcome.Name())}</span>"""
        : $"""<span class="status ok">✔ {E(outcome.Name())}</span>""";
}
