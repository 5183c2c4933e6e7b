using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Narada.Controller.Access;
using Narada.Controller.Rollouts;
using Narada.Core.Definitions;
using static Narada.Controller.Dashboard.Html;

namespace Narada.Controller.Dashboard;

/// <summary>
/// The dashboard at <c>/</c>: server-rendered pages (one URL per view, so bookmarks and the back button work), a
/// stylesheet and a small script embedded in the assembly (cache-busted by content hash, gzip when asked), and
/// <c>/ui/stream</c>, Server-Sent Events that tell open pages to fetch their content again when something changed.
/// No Node.js, no CDN: it works air-gapped.
/// </summary>
internal static class DashboardEndpoints
{
    private static readonly Asset Css = Asset.Load("dashboard.css", "text/css; charset=utf-8");
    private static readonly Asset Js = Asset.Load("dashboard.js", "text/javascript; charset=utf-8");

    private static readonly (string Path, string Label, Need Need)[] Nav =
    [
        ("/", "Overview", Need.Read), ("/hosts", "Hosts", Need.Read), ("/checks", "Checks", Need.Read), ("/events", "Events", Need.Read),
        ("/silences", "Silences", Need.Read), ("/rollouts", "Rollouts", Need.Read), ("/jobserver", "Job server", Need.Read),
        ("/audit", "Audit", Need.Admin),
    ];

    public static void Map(WebApplication app, NaradaController controller)
    {
        app.MapGet(Css.Url, (HttpContext http) => Css.WriteAsync(http)).Needs(Need.Public);
        app.MapGet(Js.Url, (HttpContext http) => Js.WriteAsync(http)).Needs(Need.Public);
        app.MapGet("/", (HttpContext http) => WritePageAsync(http, "/", "Overview", Pages.Overview(controller))).Needs(Need.Read);
        app.MapGet("/checks", (HttpContext http, string? state) => WritePageAsync(http, "/checks", "Checks", Pages.Checks(controller, state))).Needs(Need.Read);
        app.MapGet("/checks/{check}/{host}", (HttpContext http, string check, string host) =>
            WritePageAsync(http, "/checks", $"{check} on {host}", Pages.Check(controller, check, host, Caller.Of(http)))).Needs(Need.Read);
        app.MapGet("/hosts", (HttpContext http, string? status) => WritePageAsync(http, "/hosts", "Hosts", Pages.Hosts(controller, status))).Needs(Need.Read);
        app.MapGet("/hosts/{name}", (HttpContext http, string name) => WritePageAsync(http, "/hosts", name, Pages.Host(controller, name))).Needs(Need.Read);
        app.MapGet("/events", (HttpContext http, string? check, string? host) =>
            WritePageAsync(http, "/events", "Events", Pages.Events(controller, check, host))).Needs(Need.Read);
        app.MapGet("/silences", (HttpContext http, string? check, string? host) =>
            WritePageAsync(http, "/silences", "Silences", Pages.Silences(controller, check, host, Caller.Of(http)))).Needs(Need.Read);
        app.MapGet("/rollouts", (HttpContext http) => WritePageAsync(http, "/rollouts", "Rollouts", Pages.Rollouts(controller, Caller.Of(http)))).Needs(Need.Read);
        app.MapGet("/rollouts/{id}", (HttpContext http, string id) =>
            WritePageAsync(http, "/rollouts", $"Rollout {id}", Pages.Rollout(controller, id, Caller.Of(http)))).Needs(Need.Read);
        app.MapGet("/jobserver", async (HttpContext http) =>
            await WritePageAsync(http, "/jobserver", "Job server", await Pages.JobServersAsync(controller, http.RequestAborted))).Needs(Need.Read);
        app.MapGet("/audit", (HttpContext http, string? actor, string? action) =>
            WritePageAsync(http, "/audit", "Audit", Pages.Audit(controller, actor, action))).Needs(Need.Admin);
        app.MapGet("/ui/stream", (HttpContext http) => StreamAsync(http, controller)).Needs(Need.Read);

        app.MapPost("/ui/silences", (HttpContext http) => AddSilenceAsync(http, controller)).Needs(Need.Operate);
        app.MapPost("/ui/silences/{id}/lift", (HttpContext http, string id) =>
        {
            if (!SameOrigin(http))
                return Refuse(http);
            if (controller.Silences.Remove(id))
                AuditTrail.Record(controller, http, "silence.lift", id, "");
            controller.Changes.Bump();
            http.Response.Redirect("/silences", permanent: false);
            return Task.CompletedTask;
        }).Needs(Need.Operate);
        app.MapPost("/ui/rollouts", (HttpContext http) => DryRunAsync(http, controller)).Needs(Need.Admin);
        app.MapPost("/ui/checks/{check}/{host}/{action}", (HttpContext http, string check, string host, string action) =>
            CheckActionAsync(http, controller, check, host, action)).Needs(Need.Operate);
        // Anything else: a page saying so for people, JSON for programs.
        app.MapFallback(async (HttpContext http) =>
        {
            if (HttpMethods.IsGet(http.Request.Method) && !http.Request.Path.StartsWithSegments("/api"))
            {
                await WritePageAsync(http, "", "Not found", null);
                return;
            }
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            await http.Response.WriteAsJsonAsync(new { error = $"no such endpoint: {http.Request.Method} {http.Request.Path}" });
        }).Needs(Need.Public);
    }

    /// <summary>A page of the dashboard (or only its main part, for a live update), with the views the caller may
    /// open in the navigation and, when signed in, who they are and a way out.</summary>
    internal static async Task WritePageAsync(HttpContext http, string section, string title, string? main, bool navigation = true)
    {
        if (main is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            main = $"""<h1>Not found</h1><p class="empty">Nothing at {E(http.Request.Path)}. <a href="/">Back to the overview</a>.</p>""";
        }
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Content-Security-Policy"] = "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:";
        http.Response.Headers["X-Content-Type-Options"] = "nosniff";
        http.Response.Headers["Referrer-Policy"] = "same-origin";
        if (http.Request.Headers.ContainsKey("X-Narada-Fragment"))
        {
            await http.Response.WriteAsync(main, http.RequestAborted);
            return;
        }
        var caller = Caller.Of(http);
        var nav = !navigation ? "" : string.Concat(Nav.Where(n => caller.May(n.Need)).Select(n => n.Path == section
            ? $"""<a href="{n.Path}" aria-current="page">{E(n.Label)}</a>"""
            : $"""<a href="{n.Path}">{E(n.Label)}</a>"""));
        var who = caller.Via is CallerVia.Session
            ? $"""<form class="whoami" method="post" action="/logout">{FormToken(caller)}<span>{E(caller.Name)} · {E(Roles.Name(caller.Role!.Value))}</span><button type="submit">Log out</button></form>"""
            : "";
        await http.Response.WriteAsync($"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <title>{E(title)} · Narada</title>
            <link rel="stylesheet" href="{Css.Url}">
            {(navigation ? $"""<script src="{Js.Url}" defer></script>""" : "")}
            </head>
            <body>
            <header><a class="brand" href="/">Narada</a><nav aria-label="views">{nav}</nav><span id="live" role="status" aria-live="polite">{(navigation ? "○ connecting…" : "")}</span>{who}</header>
            <main id="main">{main}</main>
            </body>
            </html>
            """, http.RequestAborted);
    }

    /// <summary>One <c>change</c> event whenever the controller's <see cref="State.ChangeFeed"/> moves, at most one a
    /// second; a comment every 15 s keeps proxies from closing an idle stream. EventSource reconnects by itself.</summary>
    private static async Task StreamAsync(HttpContext http, NaradaController controller)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        var stop = http.RequestAborted;
        await http.Response.WriteAsync("retry: 2000\n\n", stop);
        await http.Response.Body.FlushAsync(stop);
        long seen = controller.Changes.Version;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(stop);
                quiet.CancelAfter(TimeSpan.FromSeconds(15));
                try
                {
                    await controller.Changes.WaitPastAsync(seen, quiet.Token);
                    seen = controller.Changes.Version;
                    await http.Response.WriteAsync($"event: change\ndata: {seen}\n\n", stop);
                    await http.Response.Body.FlushAsync(stop);
                    await Task.Delay(TimeSpan.FromSeconds(1), stop);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    await http.Response.WriteAsync(": still here\n\n", stop);
                    await http.Response.Body.FlushAsync(stop);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the browser went away
        }
    }

    private static async Task AddSilenceAsync(HttpContext http, NaradaController controller)
    {
        if (!SameOrigin(http))
        {
            await Refuse(http);
            return;
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        string? Field(string name) => form[name].ToString() is { Length: > 0 } value ? value.Trim() : null;
        var reason = Field("reason");
        if (!Duration.TryParse(Field("duration") ?? "", out var length, out var why) || reason is null)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await WritePageAsync(http, "/silences", "Silences", $"""
                <h1>Silence not added</h1><p class="critical">✖ {E(reason is null ? "reason: required" : $"for: {why}")}</p>
                <p><a href="/silences">Back to the silences</a></p>
                """);
            return;
        }
        var silence = controller.Silences.Add(Field("check"), Field("host"), Field("tag"), DateTimeOffset.UtcNow + length, reason);
        AuditTrail.Record(controller, http, "silence.add", silence.Id, Http.ChangeEndpoints.Describe(silence));
        controller.Changes.Bump();
        http.Response.Redirect("/silences", permanent: false);
    }

    /// <summary>The check page's buttons: run now, acknowledge (with a comment), remove the acknowledgement.</summary>
    private static async Task CheckActionAsync(HttpContext http, NaradaController controller, string check, string host, string action)
    {
        if (!SameOrigin(http))
        {
            await Refuse(http);
            return;
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        string? why = action switch
        {
            "run" => controller.RunNow(check, host),
            "ack" => form["comment"].ToString().Trim() is { Length: > 0 } comment
                ? controller.Acknowledge(check, host, Caller.Of(http).Name, comment, form["sticky"].ToString() == "true")
                : "comment: required: say who is on it and why",
            "unack" => controller.Acks.Remove(check, host) is null ? $"no acknowledgement of {check} on {host}" : null,
            _ => $"no such action '{action}' (run, ack, unack)",
        };
        if (why is not null)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await WritePageAsync(http, "/checks", $"{check} on {host}",
                $"""<h1>Not done</h1><p class="critical">✖ {E(why)}.</p><p><a href="/checks/{U(check)}/{U(host)}">Back to {E(check)} on {E(host)}</a></p>""");
            return;
        }
        AuditTrail.Record(controller, http, action switch { "run" => "check.run", "ack" => "ack.add", _ => "ack.remove" }, $"{check} on {host}",
            action == "ack" ? form["comment"].ToString().Trim() : "from the dashboard");
        controller.Changes.Bump();
        http.Response.Redirect($"/checks/{U(check)}/{U(host)}", permanent: false);
    }

    private static async Task DryRunAsync(HttpContext http, NaradaController controller)
    {
        if (!SameOrigin(http))
        {
            await Refuse(http);
            return;
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        AuditTrail.Record(controller, http, "apply.dry_run", form["apply"].ToString(), "from the dashboard");
        string? id = null;
        await foreach (var e in controller.Rollouts.RunAsync(new RolloutRequest(form["apply"].ToString()) { DryRun = true }, http.RequestAborted))
        {
            id ??= e.RolloutId;
            if (e.Event == RolloutEventKind.Error)
            {
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                await WritePageAsync(http, "/rollouts", "Rollouts", $"""<h1>Dry run not started</h1><p class="critical">✖ {E(e.Message)}</p>""");
                return;
            }
        }
        await controller.History.FlushAsync();
        controller.Changes.Bump();
        http.Response.Redirect($"/rollouts/{U(id!)}", permanent: false);
    }

    /// <summary>A form post must come from the dashboard's own pages (the browser says where from), so another site
    /// cannot make a visitor's browser change things here.</summary>
    internal static bool SameOrigin(HttpContext http)
    {
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
            return http.Request.Headers["Sec-Fetch-Site"].ToString() is "" or "same-origin";
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Authority.Equals(http.Request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    private static Task Refuse(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        return http.Response.WriteAsync("changes are taken from the dashboard's own pages only");
    }

    /// <summary>An embedded file with its URL named by its content hash (so it may be cached for good) and a gzip copy.</summary>
    private sealed record Asset(string Url, string ContentType, byte[] Plain, byte[] Gzip)
    {
        public static Asset Load(string name, string contentType)
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"dashboard/{name}")
                ?? throw new InvalidOperationException($"dashboard asset {name} is not embedded");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var plain = copy.ToArray();
            using var packed = new MemoryStream();
            using (var gzip = new GZipStream(packed, CompressionLevel.SmallestSize, leaveOpen: true))
                gzip.Write(plain);
            var hash = Convert.ToHexStringLower(SHA256.HashData(plain))[..12];
            var dot = name.LastIndexOf('.');
            return new Asset($"/ui/assets/{name[..dot]}.{hash}{name[dot..]}", contentType, plain, packed.ToArray());
        }

        public async Task WriteAsync(HttpContext http)
        {
            http.Response.ContentType = ContentType;
            http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            http.Response.Headers.Vary = "Accept-Encoding";
            bool gzip = http.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
            if (gzip)
                http.Response.Headers.ContentEncoding = "gzip";
            var body = gzip ? Gzip : Plain;
            http.Response.ContentLength = body.Length;
            await http.Response.Body.WriteAsync(body, http.RequestAborted);
        }
    }
}
