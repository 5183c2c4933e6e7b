using Narada.Gearman.Tls;

namespace Narada.Cli.Commands;

/// <summary>How the CLI reaches the controller's HTTP API: plain, or HTTPS trusting the fleet's own CA.</summary>
internal static class ControllerHttp
{
    public static HttpMessageHandler Handler(string? caFile) => caFile is null
        ? new HttpClientHandler()
        : new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) => CustomCaValidation.Validate(caFile, certificate, errors),
        };
}
