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
        await http.Response.WriteAsJsonAsync(new
        {
            error = clientCaFile is null
                ? "changes are taken from loopback only; serve HTTPS with --http-client-ca to take them from clients with a certificate"
                : "changes need a client certificate from the --http-client-ca CA, or a loopback connection",
        });
    }

    private bool MayChange(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote)
        || (clientCaFile is not null && http.Connection.ClientCertificate is not null);
}
