using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Narada.Controller.Intake;

namespace Narada.Controller.Http;

/// <summary>What the controller shows: /metrics and the read side of /api, each a projection of its state.</summary>
internal static class ReadEndpoints
{
    public static void Map(WebApplication app, NaradaController controller)
    {
        app.MapGet("/metrics", async (HttpContext http) =>
        {
            http.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await controller.WriteMetricsAsync(http.Response.Body, http.RequestAborted);
        });
        app.MapGet("/api/health", () => Results.Json(new { status = "ok" }));
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
        }));
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
        })));
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
            })));
        app.MapGet("/api/events", (int? limit, string? host, string? check) =>
            Results.Json(controller.History.RecentEvents(Math.Clamp(limit ?? 50, 1, 1000), check, host)));
        app.MapGet("/api/silences", () => Results.Json(controller.Silences.Active(DateTimeOffset.UtcNow)));
        app.MapGet("/api/rollouts", (int? limit) => Results.Json(controller.History.RecentRollouts(Math.Clamp(limit ?? 20, 1, 500))));
        app.MapGet("/api/rollouts/{id}", (string id) => Results.Json(controller.History.RolloutHosts(id)));
    }
}
