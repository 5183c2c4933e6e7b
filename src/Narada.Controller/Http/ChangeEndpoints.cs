using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Narada.Controller.Access;
using Narada.Controller.Rollouts;
using Narada.Core.Definitions;

namespace Narada.Controller.Http;

/// <summary>What changes things: silences and rollouts. Each refuses what it does not understand instead of guessing.</summary>
internal static class ChangeEndpoints
{
    private static readonly string[] ApplyParameters = ["dry_run", "hosts", "tags", "batch"];

    private static readonly JsonSerializerOptions StrictJson = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static void Map(WebApplication app, NaradaController controller)
    {
        app.MapPost("/api/silences", (HttpRequest request) => AddSilenceAsync(request, controller)).Needs(Need.Operate);
        app.MapDelete("/api/silences/{id}", (HttpContext http, string id) =>
        {
            if (!controller.Silences.Remove(id))
                return Results.NotFound();
            AuditTrail.Record(controller, http, "silence.lift", id, "");
            return Results.NoContent();
        }).Needs(Need.Operate);
        app.MapPost("/api/checks/{check}/{host}/run", (HttpContext http, string check, string host) =>
        {
            if (controller.RunNow(check, host) is { } why)
                return Results.Json(new { error = why }, statusCode: StatusCodes.Status409Conflict);
            AuditTrail.Record(controller, http, "check.run", $"{check} on {host}", "");
            return Results.Json(new { queued = true, check, host }, statusCode: StatusCodes.Status202Accepted);
        }).Needs(Need.Operate);
        app.MapPost("/api/acks", (HttpRequest request) => AcknowledgeAsync(request, controller)).Needs(Need.Operate);
        app.MapDelete("/api/acks/{check}/{host}", (HttpContext http, string check, string host) =>
        {
            if (controller.Acks.Remove(check, host) is null)
                return Results.NotFound(new { error = $"no acknowledgement of {check} on {host}" });
            AuditTrail.Record(controller, http, "ack.remove", $"{check} on {host}", "");
            controller.Changes.Bump();
            return Results.NoContent();
        }).Needs(Need.Operate);
        app.MapPost("/api/apply/{name}", (HttpContext http, string name, bool? dry_run, string? hosts, string? tags, string? batch) =>
            ApplyAsync(http, controller, new RolloutRequest(name)
            {
                DryRun = dry_run ?? false,
                Hosts = Split(hosts),
                Tags = Split(tags),
                Batch = batch,
            })).Needs(Need.Admin);
    }

    private static async Task<IResult> AddSilenceAsync(HttpRequest body, NaradaController controller)
    {
        // A misspelt key ("hots") would otherwise be dropped, and a silence with no check, host or tag covers
        // everything: refuse what is not understood instead.
        SilenceRequest? request;
        try
        {
            request = await body.ReadFromJsonAsync<SilenceRequest>(StrictJson, body.HttpContext.RequestAborted);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return Results.BadRequest(new { error = $"unreadable silence: {e.Message}" });
        }
        if (request is null)
            return Results.BadRequest(new { error = "expected a JSON object with duration and any of check, host, tag, reason" });
        if (request.Duration is null)
            return Results.BadRequest(new { error = "duration: required, e.g. 2h" });
        if (!Duration.TryParse(request.Duration, out var length, out var why))
            return Results.BadRequest(new { error = $"duration: {why}" });
        var silence = controller.Silences.Add(request.Check, request.Host, request.Tag, DateTimeOffset.UtcNow + length,
            request.Reason ?? "");
        AuditTrail.Record(controller, body.HttpContext, "silence.add", silence.Id, Describe(silence));
        return Results.Json(silence);
    }

    private static async Task<IResult> AcknowledgeAsync(HttpRequest body, NaradaController controller)
    {
        AckRequest? request;
        try
        {
            request = await body.ReadFromJsonAsync<AckRequest>(StrictJson, body.HttpContext.RequestAborted);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return Results.BadRequest(new { error = $"unreadable acknowledgement: {e.Message}" });
        }
        if (request is not { Check: { Length: > 0 } check, Host: { Length: > 0 } host })
            return Results.BadRequest(new { error = "expected a JSON object with check, host and comment (sticky optional)" });
        if (request.Comment is not { Length: > 0 } comment)
            return Results.BadRequest(new { error = "comment: required: say who is on it and why" });
        var author = Caller.Of(body.HttpContext).Name;
        if (controller.Acknowledge(check, host, author, comment, request.Sticky ?? false) is { } why)
            return Results.Json(new { error = why }, statusCode: StatusCodes.Status409Conflict);
        AuditTrail.Record(controller, body.HttpContext, "ack.add", $"{check} on {host}", $"{(request.Sticky == true ? "sticky: " : "")}{comment}");
        return Results.Json(controller.Acks.Of(check, host));
    }

    private static async Task ApplyAsync(HttpContext http, NaradaController controller, RolloutRequest request)
    {
        // A rollout changes files on hosts: a misspelt dry_run (dryrun=true, dry-run=1) or options sent as a body
        // must not be ignored into a real one.
        if (http.Request.Query.Keys.FirstOrDefault(key => !ApplyParameters.Contains(key)) is { } unknown)
        {
            await Results.BadRequest(new { error = $"unknown parameter '{unknown}'; expected {string.Join(", ", ApplyParameters)}" }).ExecuteAsync(http);
            return;
        }
        if (http.Request.ContentLength > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            await Results.BadRequest(new { error = $"the options go in the query string ({string.Join(", ", ApplyParameters)}), not in a body" }).ExecuteAsync(http);
            return;
        }
        AuditTrail.Record(controller, http, request.DryRun ? "apply.dry_run" : "apply", request.Apply, Describe(request));
        // One JSON object per line as the rollout goes, so `narada apply` can show live per-host progress.
        http.Response.ContentType = "application/x-ndjson";
        await foreach (var e in controller.Rollouts.RunAsync(request, http.RequestAborted))
        {
            await http.Response.WriteAsync(JsonSerializer.Serialize(e, RolloutJsonContext.Default.RolloutEvent) + "\n", http.RequestAborted);
            await http.Response.Body.FlushAsync(http.RequestAborted);
        }
    }

    /// <summary>What a silence covers and why, for the audit trail.</summary>
    internal static string Describe(Handlers.Silence s) =>
        $"check={s.Check ?? "any"} host={s.Host ?? "any"} tag={s.Tag ?? "any"} until={s.Until:yyyy-MM-ddTHH:mm:ssZ} reason={s.Reason}";

    private static string Describe(RolloutRequest r) =>
        string.Join(" ", new[] { r.Hosts.Count > 0 ? $"hosts={string.Join(",", r.Hosts)}" : null, r.Tags.Count > 0 ? $"tags={string.Join(",", r.Tags)}" : null,
            r.Batch is null ? null : $"batch={r.Batch}" }.OfType<string>());

    private static string[] Split(string? list) =>
        list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    internal sealed record AckRequest(string? Check, string? Host, string? Comment, bool? Sticky);

    internal sealed record SilenceRequest(string? Check, string? Host, string? Tag, string? Duration, string? Reason);
}
