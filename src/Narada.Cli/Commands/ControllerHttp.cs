using System.CommandLine;
using System.Net;
using Narada.Gearman.Tls;

namespace Narada.Cli.Commands;

/// <summary>How the CLI reaches the controller's HTTP API: plain, or HTTPS trusting the fleet's own CA and, for changes from
/// another machine, presenting a client certificate.</summary>
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

    /// <summary>
    /// --token (or NARADA_TOKEN: a bearer token from `narada users add`, which a controller with --users wants),
    /// --tls-ca (trust the fleet's CA for an https --url) and --tls-cert/--tls-key (present a client certificate, which
    /// a controller with --http-client-ca wants before it takes changes from another machine).
    /// </summary>
    public sealed class ClientOptions
    {
        public const string TokenVariable = "NARADA_TOKEN";

        private readonly Option<string?> _token = new("--token")
        {
            Description = $"A bearer token for a controller with --users (default: ${TokenVariable}). Prefer the variable: a command line is visible to every user of the machine.",
        };
        private readonly Option<string?> _ca = new("--tls-ca") { Description = "For an https --url: the CA the controller's certificate chains to." };
        private readonly Option<string?> _certificate = new("--tls-cert") { Description = "For an https --url: a client certificate (PEM) from the controller's --http-client-ca CA." };
        private readonly Option<string?> _key = new("--tls-key") { Description = "The client certificate's private key (PEM)." };

        public void AddTo(Command command)
        {
            command.Options.Add(_token);
            command.Options.Add(_ca);
            command.Options.Add(_certificate);
            command.Options.Add(_key);
        }

        /// <summary>The client for requests to the controller, or null after printing why the TLS files cannot be used.</summary>
        public HttpClient? Client(ParseResult parse, string verb, Uri baseAddress, TimeSpan timeout)
        {
            try
            {
                var client = new HttpClient(Handler(parse)) { BaseAddress = baseAddress, Timeout = timeout };
                if ((parse.GetValue(_token) ?? Environment.GetEnvironmentVariable(TokenVariable)) is { Length: > 0 } token)
                    client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Trim());
                return client;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException
                or System.Security.Cryptography.CryptographicException)
            {
                Console.Error.WriteLine($"narada {verb}: TLS: {e.Message}");
                return null;
            }
        }

        private HttpClientHandler Handler(ParseResult parse)
        {
            var handler = new HttpClientHandler();
            if (parse.GetValue(_ca) is { } ca)
                handler.ServerCertificateCustomValidationCallback = (_, certificate, _, errors) => CustomCaValidation.Validate(ca, certificate, errors);
            if (parse.GetValue(_certificate) is { } certificate)
                handler.ClientCertificates.Add(PemFiles.LoadCertificateWithKey(certificate, parse.GetValue(_key)));
            return handler;
        }
    }

    /// <summary>The controller's reason for refusing (401, 403, 429), from its JSON body.</summary>
    public static async Task<string> RefusalAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("error").GetString() ?? body;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return body;
        }
    }

    /// <summary>One request: 0 when it worked, 2 when the controller refused it or knows no such thing (<paramref name="notFound"/>), 3 when unreachable.</summary>
    public static async Task<int> SendAsync(ParseResult parse, string verb, string notFound, Option<string> url, ClientOptions tls,
        Func<HttpClient, Task<HttpResponseMessage>> request, Func<HttpResponseMessage, Task> show)
    {
        var baseUri = BaseAddress(parse.GetValue(url)!);
        using var http = tls.Client(parse, verb, baseUri, TimeSpan.FromSeconds(10));
        if (http is null)
            return 2;
        HttpResponseMessage response;
        try
        {
            response = await request(http);
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync($"narada {verb}: cannot reach the controller at {baseUri}: {e.Message}");
            return 3;
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                await Console.Error.WriteLineAsync($"narada {verb}: {notFound}");
                return 2;
            }
            if (!response.IsSuccessStatusCode)
            {
                await Console.Error.WriteLineAsync($"narada {verb}: the controller refused: {await RefusalAsync(response, CancellationToken.None)}");
                return 2;
            }
            await show(response);
            return 0;
        }
    }
}
