using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Narada.Controller.Access;
using Narada.Controller.Intake;

namespace Narada.Controller.Http;

/// <summary>What the controller shows: /metrics and the read side of /api, each a projection of its state.</summary>
internal static class ReadEndpoints
{
    public static void Map(WebApplication app, NaradaController controller)
    {
        // ?shard=K&of=N: one slice of the fleet's per-host series, for N scrape jobs (see MetricsShard).
        app.MapGet("/metrics", async (HttpContext http, string? shard, string? of) =>
        {
            var slice = Metrics.MetricsShard.Parse(shard, of, out var problem);
            if (problem is not null)
            {
                await Results.BadRequest(new { error = problem }).ExecuteAsync(http);
                return;
            }
            http.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await controller.WriteMetricsAsync(http.Response.Body, http.RequestAborted, slice);
        }).Needs(Need.Metrics);
        app.MapGet("/api/health", () => Results.Json(new { status = "ok" })).Needs(Need.Metrics);
        // The API's own index: every endpoint with what it needs, and what this caller may do.
        app.MapGet("/api", (HttpContext http) =>
        {
            var caller = Caller.Of(http);
            return Results.Json(new
            {
                caller = new { name = caller.Name, role = caller.Role is { } role ? Roles.Name(role) : null, via = caller.Via.ToString().ToLowerInvariant() },
                endpoints = Routes(http).Select(r => new
                {
                    method = r.Method,
                    path = r.Path,
                    needs = r.Need is not { } need ? "nobody" : Roles.Least(need) is { } least ? Roles.Name(least) : "anyone",
                    allowed = r.Need is { } rule && caller.May(rule),
                }),
            });
        }).Needs(Need.Read);
        app.MapGet("/api/cluster", () => Results.Json(new
        {
            store = controller.History.Location.Describe(),
            members = controller.Members().Select(m => new
            {
                id = m.Id,
                address = m.Address,
                started = m.Started,
                last_seen = m.LastSeen,
                doing = m.Doing,
                leader = m.Leader,
            }),
        })).Needs(Need.Read);
        app.MapGet("/api/hosts", () => Results.Json(controller.Hosts.All.OrderBy(h => h.Name).Select(h => new
        {
            name = h.Name,
            status = h.Status.ToString().ToLowerInvariant(),
            tags = h.Tags.Order(),
            plugins = h.Plugins,
            agent_version = h.AgentVersion,
            last_heartbeat = h.LastHeartbeat,
            name_conflict = h.NameConflict,
            facts = h.Facts,
        }))).Needs(Need.Read);
        app.MapGet("/api/checks", (string? host, string? check) => Results.Json(controller.Checks.All
            .Where(e => (host is null || e.State.Host == host) && (check is null || e.State.Check == check))
            .OrderBy(e => e.State.Check).ThenBy(e => e.State.Host)
            .Select(e => new
            {
                check = e.State.Check,
                host = e.State.Host,
                status = Names.Of(e.State.Status),
                hard_status = Names.Of(e.State.HardStatus),
                state_type = e.State.Type.ToString().ToLowerInvariant(),
                attempt = e.State.Attempt,
                output = e.State.Output,
                long_output = e.LongOutput,
                perfdata = e.PerfData,
                flapping = e.State.IsFlapping,
                last_result = e.State.LastResult,
                last_ok = e.State.LastOk,
                last_change = e.State.LastChange,
                duration_seconds = e.LastDurationSeconds,
                acknowledged = controller.Acks.Of(e.State.Check, e.State.Host),
                hooks = e.Hooks,
                held_by = e.State.HardStatus == Narada.Core.Formats.CheckStatus.Ok ? null : controller.HeldBy(e.State.Check, e.State.Host),
            }))).Needs(Need.Read);
        app.MapGet("/api/events", (int? limit, string? host, string? check) =>
            Results.Json(controller.History.RecentEvents(Math.Clamp(limit ?? 50, 1, 1000), check, host))).Needs(Need.Read);
        app.MapGet("/api/downtimes", () =>
        {
            var now = DateTimeOffset.UtcNow;
            return Results.Json(controller.Definitions.Downtimes.Values.OrderBy(d => d.Name, StringComparer.Ordinal).Select(d => new
            {
                name = d.Name,
                checks = d.Checks,
                comment = d.Comment,
                schedule = d.Cron is { } cron ? $"cron {cron} for {Narada.Core.Definitions.Duration.Format(d.Length)}" : $"{d.Start:u} to {d.End:u}",
                active = d.WindowAt(now) is { } window ? new { start = window.Start, end = window.End } : null,
                hosts = controller.Hosts.All.Where(h => d.Targets.Matches(h.Name, controller.Definitions.TagsOf(h.Name, h.Tags)))
                    .Select(h => h.Name).Order(StringComparer.Ordinal),
            }));
        }).Needs(Need.Read);
        app.MapGet("/api/acks", () => Results.Json(controller.Acks.All)).Needs(Need.Read);
        app.MapGet("/api/silences", () => Results.Json(controller.Silences.Active(DateTimeOffset.UtcNow))).Needs(Need.Read);
        app.MapGet("/api/rollouts", (int? limit) => Results.Json(controller.History.RecentRollouts(Math.Clamp(limit ?? 20, 1, 500)))).Needs(Need.Read);
        // Diffs show rendered files, which may hold secrets: admins see them, everyone else the outcomes.
        app.MapGet("/api/rollouts/{id}", (HttpContext http, string id) =>
        {
            bool diffs = Caller.Of(http).May(Need.Admin);
            return Results.Json(controller.History.RolloutHosts(id).Select(o => diffs ? o : o with { Diff = null }));
        }).Needs(Need.Read);
        app.MapGet("/api/audit", (int? limit, string? actor, string? action) =>
            Results.Json(controller.History.RecentAudit(Math.Clamp(limit ?? 100, 1, 1000), actor, action))).Needs(Need.Admin);
    }

    /// <summary>Every endpoint the web server has, with its access rule (null for none: the gate refuses those to
    /// everybody, and the index says "nobody").</summary>
    public static IEnumerable<(string Method, string Path, Need? Need)> Routes(HttpContext http) =>
        http.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && !raw.Contains("{*", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(method => (method, "/" + e.RoutePattern.RawText!.TrimStart('/'), e.Metadata.GetMetadata<AccessRule>()?.Need)))
            .OrderBy(r => r.Item2, StringComparer.Ordinal).ThenBy(r => r.method, StringComparer.Ordinal);
}
