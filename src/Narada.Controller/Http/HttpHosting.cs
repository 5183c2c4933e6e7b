using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Narada.Gearman.Tls;

namespace Narada.Controller.Http;

/// <summary>Where and how the controller's web server listens: one IP:port, plain HTTP or HTTPS with an optional
/// client CA. Checked when made, so a bad combination is refused before anything starts.</summary>
internal sealed record HttpHosting
{
    private HttpHosting(IPEndPoint endpoint, string? certificateFile, string? keyFile, string? clientCaFile)
    {
        Endpoint = endpoint;
        CertificateFile = certificateFile;
        KeyFile = keyFile;
        ClientCaFile = clientCaFile;
    }

    public IPEndPoint Endpoint { get; }
    public string? CertificateFile { get; }
    public string? KeyFile { get; }

    /// <summary>With HTTPS: clients with a certificate from this CA may make changes from anywhere.</summary>
    public string? ClientCaFile { get; }

    public static HttpHosting Create(string listen, string? certificateFile, string? keyFile, string? clientCaFile)
    {
        var endpoint = HttpListenAddress.Parse(listen);
        if (clientCaFile is not null && certificateFile is null)
            throw new ArgumentException("a client CA for the HTTP endpoint needs HTTPS (a server certificate) as well");
        return new HttpHosting(endpoint, certificateFile, keyFile, clientCaFile);
    }

    /// <summary>A slim web application bound as described, logging through <paramref name="loggers"/>.</summary>
    public WebApplication Build(ILoggerFactory loggers)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<ILoggerFactory>(new QuietHostLoggers(loggers));
        if (CertificateFile is not null)
        {
            var certificate = PemFiles.LoadCertificateWithKey(CertificateFile, KeyFile);
            var clientCa = ClientCaFile;
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(h =>
            {
                h.ServerCertificate = certificate;
                if (clientCa is null)
                    return;
                // Optional at the handshake so Prometheus and readers need none; one that is presented must chain to
                // the client CA, or the handshake fails.
                h.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                h.ClientCertificateValidation = (client, _, errors) => CustomCaValidation.Validate(clientCa, client, errors);
            }));
            builder.WebHost.UseUrls($"https://{Endpoint}");
        }
        else
        {
            builder.WebHost.UseUrls($"http://{Endpoint}");
        }
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return builder.Build();
    }

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
}
