using System.CommandLine;
using Narada.Gearman.Tls;

namespace Narada.Cli.Commands;

/// <summary>How the CLI reaches the controller's HTTP API: plain, or HTTPS trusting the fleet's own CA.</summary>
internal static class ControllerHttp
{
    /// <summary>--url of a running controller; anything but an absolute http or https URL is a parse error.</summary>
    public static Option<string> UrlOption()
    {
        var option = new Option<string>("--url") { Description = "The controller's HTTP address.", DefaultValueFactory = _ => "http://127.0.0.1:9640/" };
        option.Validators.Add(result =>
        {
            var text = result.GetValueOrDefault<string>();
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                result.AddError($"--url '{text}' is not an absolute http:// or https:// URL, e.g. http://127.0.0.1:9640/");
        });
        return option;
    }

    /// <summary>The base address requests are made relative to.</summary>
    public static Uri BaseAddress(string url) => new(url.TrimEnd('/') + "/");

    public static HttpMessageHandler Handler(string? caFile) => caFile is null
        ? new HttpClientHandler()
        : new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) => CustomCaValidation.Validate(caFile, certificate, errors),
        };
}
