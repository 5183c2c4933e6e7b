using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Narada.Controller.Intake;
using Narada.Gearman.Tls;

namespace Narada.Controller;

/// <summary>The controller's HTTP endpoint: Prometheus /metrics and a small JSON API for hosts, checks and events.</summary>
internal sealed class HttpApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HttpApi(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<HttpApi> StartAsync(NaradaController controller, string listen, ILoggerFactory loggers,
        CancellationToken cancellationToken, string? certificateFile = null, string? keyFile = null, string? clientCaFile = null)
    {
        var endpoint = HttpListenAddress.Parse(listen);
        if (clientCaFile is not null && certificateFile is null)
            throw new ArgumentException("a client CA for the HTTP endpoint needs HTTPS (a server certificate) as well");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<ILoggerFactory>(new QuietHostLoggers(loggers));
        if (certificateFile is not null)
        {
            var certificate = PemFiles.LoadCertificateWithKey(certificateFile, keyFile);
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(h =>
            {
                h.ServerCertificate = certificate;
                if (clientCaFile is null)
                    return;
                // Optional at the handshake so Prometheus and readers need none; one that is presented must chain to
                // the client CA, or the handshake fails.
                h.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                h.ClientCertificateValidation = (client, _, errors) => CustomCaValidation.Validate(clientCaFile, client, errors);
            }));
            builder.WebHost.UseUrls($"https://{endpoint}");
        }
        else
        {
            builder.WebHost.UseUrls($"http://{endpoint}");
        }
        // A query value that does not bind (limit=abc) is answered with what was wrong, not an empty 400.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        var app = builder.Build();
        app.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            catch (BadHttpRequestException e) when (!http.Response.HasStarted)
            {
                http.Response.StatusCode = e.StatusCode;
                await http.Response.WriteAsJsonAsync(new { error = e.Message });
            }
        });
        app.Use(async (http, next) =>
        {
            if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || MayChange(http, clientCaFile))
            {
                await next(http);
                return;
            }
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.Response.WriteAsJsonAsync(new
            {
                error = clientCaFile is null
                    ? "changes are taken from loopback only; serve HTTPS with --http-client-ca to take them from clients with a certificate"
                    : "changes need a client certificate from the --http-client-ca CA, or a loopback connection",
            });
        });

        app.MapGet("/metrics", async (HttpContext http) =>
        {
            http.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await controller.WriteMetricsAsync(http.Response.Body, http.RequestAborted);
        });
        app.MapGet("/api/health", () => Results.Json(new { status = "ok" }));
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
        app.MapPost("/api/silences", async (HttpContext http) =>
        {
            // A misspelt key ("hots") would otherwise be dropped, and a silence with no check, host or tag covers
            // everything: refuse what is not understood instead.
            SilenceRequest? request;
            try
            {
                request = await http.Request.ReadFromJsonAsync<SilenceRequest>(StrictJson, http.RequestAborted);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
            {
                return Results.BadRequest(new { error = $"unreadable silence: {e.Message}" });
            }
            if (request is null)
                return Results.BadRequest(new { error = "expected a JSON object with duration and any of check, host, tag, reason" });
            if (request.Duration is null)
                return Results.BadRequest(new { error = "duration: required, e.g. 2h" });
            if (!Narada.Core.Definitions.Duration.TryParse(request.Duration, out var length, out var why))
                return Results.BadRequest(new { error = $"duration: {why}" });
            var silence = controller.Silences.Add(request.Check, request.Host, request.Tag, DateTimeOffset.UtcNow + length,
                request.Reason ?? "");
            return Results.Json(silence);
        });
        app.MapPost("/api/apply/{name}", async (HttpContext http, string name, bool? dry_run, string? hosts, string? tags, string? batch) =>
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
            var request = new Rollouts.RolloutRequest(name)
            {
                DryRun = dry_run ?? false,
                Hosts = Split(hosts),
                Tags = Split(tags),
                Batch = batch,
            };
            // One JSON object per line as the rollout goes, so `narada apply` can show live per-host progress.
            http.Response.ContentType = "application/x-ndjson";
            await foreach (var e in controller.Rollouts.RunAsync(request, http.RequestAborted))
            {
                await http.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(e, Rollouts.RolloutJsonContext.Default.RolloutEvent) + "\n",
                    http.RequestAborted);
                await http.Response.Body.FlushAsync(http.RequestAborted);
            }
        });
        app.MapGet("/api/rollouts", (int? limit) => Results.Json(controller.History.RecentRollouts(Math.Clamp(limit ?? 20, 1, 500))));
        app.MapGet("/api/rollouts/{id}", (string id) => Results.Json(controller.History.RolloutHosts(id)));
        app.MapDelete("/api/silences/{id}", (string id) => controller.Silences.Remove(id) ? Results.NoContent() : Results.NotFound());

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HttpApi(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static readonly string[] ApplyParameters = ["dry_run", "hosts", "tags", "batch"];

    private static readonly System.Text.Json.JsonSerializerOptions StrictJson = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    private static string[] Split(string? list) =>
        list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    /// <summary>
    /// The controller's loggers for the web server, except the generic host's own: its "Hosting failed to start" is a
    /// stack trace, and the caller reports that failure (a port in use) in one line.
    /// </summary>
    private sealed class QuietHostLoggers(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => categoryName.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal)
            ? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance
            : inner.CreateLogger(categoryName);

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose()
        {
            // the controller owns the inner factory
        }
    }

    internal sealed record SilenceRequest(string? Check, string? Host, string? Tag, string? Duration, string? Reason);

    /// <summary>Changes come from this machine, or from a client whose certificate the handshake checked against the CA.</summary>
    private static bool MayChange(HttpContext http, string? clientCaFile) =>
        http.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote)
        || (clientCaFile is not null && http.Connection.ClientCertificate is not null);
}
