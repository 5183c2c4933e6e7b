using System.Net;
using Microsoft.AspNetCore.Http;

namespace Narada.Controller.Http;

/// <summary>
/// Who may change things: reads (GET, HEAD) are open; anything else comes from this machine, or from a client whose
/// certificate the TLS handshake checked against the client CA. Everyone else gets 403 with what would be allowed.
/// </summary>
internal sealed class ChangeGate(string? clientCaFile)
{
    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || MayChange(http))
        {
            await next(http);
            return;
        }
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        var why = clientCaFile is null
            ? "changes are taken from loopback only; serve HTTPS with --http-client-ca to take them from clients with a certificate"
            : "changes need a client certificate from the --http-client-ca CA, or a loopback connection";
        if (http.Request.Path.StartsWithSegments("/ui"))
        {
            // A form on the dashboard: a page that says why, with the way back.
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.WriteAsync($"""
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not allowed · Narada</title></head>
                <body><main><h1>Not allowed</h1><p>✖ {System.Net.WebUtility.HtmlEncode(why)}.</p><p><a href="/">Back to the dashboard</a></p></main></body></html>
                """);
            return;
        }
        await http.Response.WriteAsJsonAsync(new { error = why });
    }

    private bool MayChange(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote)
        || (clientCaFile is not null && http.Connection.ClientCertificate is not null);
}
