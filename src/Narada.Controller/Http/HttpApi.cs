using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Narada.Controller.Http;

/// <summary>
/// The controller's HTTP endpoint: Prometheus /metrics and the JSON API. Put together from its parts:
/// <see cref="HttpHosting"/> (Kestrel, HTTP or HTTPS), <see cref="AccessGate"/> (who may see and change what),
/// <see cref="ReadEndpoints"/>, <see cref="ChangeEndpoints"/>, the dashboard and its login.
/// </summary>
internal sealed class HttpApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HttpApi(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<HttpApi> StartAsync(NaradaController controller, HttpHosting hosting, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var app = hosting.Build(loggers);
        app.Use(AnswerBadRequestsAsync);
        app.Use(new AccessGate(controller, hosting.ClientCaFile, loggers.CreateLogger("narada.http")).InvokeAsync);
        ReadEndpoints.Map(app, controller);
        ChangeEndpoints.Map(app, controller);
        Dashboard.DashboardEndpoints.Map(app, controller);
        Dashboard.LoginEndpoints.Map(app, controller);

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HttpApi(app, new Uri(address));
    }

    /// <summary>A query value that does not bind (limit=abc) is answered with what was wrong, not an empty 400.</summary>
    private static async Task AnswerBadRequestsAsync(HttpContext http, RequestDelegate next)
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
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
