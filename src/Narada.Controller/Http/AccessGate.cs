using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Narada.Controller.Access;
using Narada.Controller.History;

namespace Narada.Controller.Http;

/// <summary>
/// Who may see and change what, in front of every endpoint. Each endpoint carries an <see cref="AccessRule"/>; one
/// without is refused to everybody, so a new endpoint cannot be open by accident.
/// <para>With a users file (<c>--users</c>) nothing but the login page is open: a caller is a bearer token, a
/// dashboard session (cookie, whose changes must carry the session's form token) or a client certificate whose CN
/// names a user; anyone else gets 401, a role too small 403. Without one, as before users existed: reading is open,
/// and a connection from this machine or with a client certificate from the --http-client-ca CA may change things.</para>
/// </summary>
internal sealed class AccessGate(NaradaController controller, string? clientCaFile, ILogger logger)
{
    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<AccessRule>() is not { } rule)
        {
            Log.NoAccessRule(logger, http.Request.Method, http.Request.Path);
            http.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await http.Response.WriteAsJsonAsync(new { error = "this endpoint has no access rule, so it is refused to everybody" });
            return;
        }
        var caller = controller.Users is { } users ? await RecogniseAsync(http, users) : Open(http);
        if (caller is null)
            return; // already answered: a bad token, or too many of them
        caller.Attach(http);
        if (!caller.May(rule.Need))
        {
            await RefuseAsync(http, caller, rule.Need);
            return;
        }
        if (caller.Via == CallerVia.Session && !IsRead(http.Request) && !await FormTokenMatchesAsync(http, caller))
        {
            await AnswerAsync(http, StatusCodes.Status403Forbidden, "Not allowed",
                "this form is from an older page or another site; reload the page and send it again");
            return;
        }
        await next(http);
    }

    /// <summary>Without a users file: today's rules, as roles. Loopback and client certificates may do everything.</summary>
    private Caller Open(HttpContext http)
    {
        if (http.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote))
            return new Caller("local", Role.Admin, CallerVia.Loopback);
        if (clientCaFile is not null && http.Connection.ClientCertificate is { } certificate)
            return new Caller(certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false), Role.Admin,
                CallerVia.Certificate);
        return new Caller(Address(http), Role.Viewer, CallerVia.Anonymous);
    }

    private async Task<Caller?> RecogniseAsync(HttpContext http, UserDirectory users)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        if (authorization.Length > 0)
            return await ByTokenAsync(http, users, authorization);
        var now = DateTimeOffset.UtcNow;
        if (http.Request.Cookies[SessionNames.Cookie] is { Length: > 0 } cookie
            && controller.History.FindSession(SessionKey(cookie), now) is { } session
            && users.ByName(session.User) is { } user)
            return new Caller(user.Name, user.Role, CallerVia.Session) { FormToken = session.FormToken, SessionKey = session.Key };
        if (clientCaFile is not null && http.Connection.ClientCertificate is { } certificate)
        {
            var name = certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false);
            if (users.ByCertificate(name) is { } byCertificate)
                return new Caller(byCertificate.Name, byCertificate.Role, CallerVia.Certificate);
        }
        return new Caller("anonymous", null, CallerVia.Anonymous);
    }

    private async Task<Caller?> ByTokenAsync(HttpContext http, UserDirectory users, string authorization)
    {
        var token = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
        // A token that verified before passes without a look at the throttle: failed guesses from one address must not
        // lock out the Prometheus or script that shares it.
        if (token is not null && users.ByKnownToken(token) is { } known)
            return new Caller(known.User.Name, known.User.Role, CallerVia.Token) { TokenId = known.TokenId };
        var address = Address(http);
        if (controller.LoginThrottle.Blocked(null, address) is { } wait)
        {
            controller.Metrics.AuthThrottled.Inc();
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await AnswerAsync(http, StatusCodes.Status429TooManyRequests, "Too many attempts",
                $"too many failed sign-ins from {address}; try again in {Math.Ceiling(wait.TotalMinutes)} min");
            return null;
        }
        if (token is not null && users.ByToken(token) is { } found)
            return new Caller(found.User.Name, found.User.Role, CallerVia.Token) { TokenId = found.TokenId };
        controller.LoginThrottle.Failed(null, address);
        controller.Metrics.AuthFailures.WithLabels("token").Inc();
        AuditTrail.Record(controller, http, "token.failed", "", "an Authorization header that is no valid token", "anonymous");
        http.Response.Headers.WWWAuthenticate = "Bearer realm=\"narada\", error=\"invalid_token\"";
        await AnswerAsync(http, StatusCodes.Status401Unauthorized, "Not signed in",
            "the bearer token is not valid (revoked, mistyped, or from another users file)");
        return null;
    }

    private async Task RefuseAsync(HttpContext http, Caller caller, Need need)
    {
        if (caller.Via == CallerVia.Anonymous && controller.Users is not null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"narada\"";
            if (IsPage(http))
            {
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await Dashboard.LoginEndpoints.WriteLoginPageAsync(http, controller, message: null);
                return;
            }
            await AnswerAsync(http, StatusCodes.Status401Unauthorized, "Not signed in",
                "sign in: send Authorization: Bearer TOKEN (from `narada users add`), or log in on the dashboard");
            return;
        }
        string why = controller.Users is null
            ? clientCaFile is null
                ? "changes are taken from loopback only; serve HTTPS with --http-client-ca to take them from clients with a certificate"
                : "changes need a client certificate from the --http-client-ca CA, or a loopback connection"
            : $"{caller.Name} is {Article(caller.Role)}; this needs {Roles.Name(Roles.Least(need)!.Value)} or above";
        if (!IsRead(http.Request))
            AuditTrail.Record(controller, http, "denied", $"{http.Request.Method} {http.Request.Path}", why);
        await AnswerAsync(http, StatusCodes.Status403Forbidden, "Not allowed", why);
    }

    private static string Article(Role? role) => role is Role.Admin or Role.Operator ? $"an {Roles.Name(role.Value)}" : $"a {Roles.Name(role ?? Role.Metrics)}";

    /// <summary>A refusal as JSON for programs (/api, /metrics) and as a page for people (the dashboard).</summary>
    private static async Task AnswerAsync(HttpContext http, int status, string title, string why)
    {
        http.Response.StatusCode = status;
        if (!IsPage(http))
        {
            await http.Response.WriteAsJsonAsync(new { error = why });
            return;
        }
        await Dashboard.DashboardEndpoints.WritePageAsync(http, "", title,
            $"""<h1>{WebUtility.HtmlEncode(title)}</h1><p class="critical">✖ {WebUtility.HtmlEncode(why)}.</p><p><a href="/">Back to the dashboard</a></p>""");
    }

    private static async Task<bool> FormTokenMatchesAsync(HttpContext http, Caller caller)
    {
        string sent = http.Request.Headers[SessionNames.FormHeader].ToString();
        if (sent.Length == 0 && http.Request.HasFormContentType)
            sent = (await http.Request.ReadFormAsync(http.RequestAborted))[SessionNames.FormField].ToString();
        return sent.Length > 0 && caller.FormToken is { } expected
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(expected));
    }

    private static bool IsRead(HttpRequest request) => HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);

    private static bool IsPage(HttpContext http) =>
        !http.Request.Path.StartsWithSegments("/api") && !http.Request.Path.StartsWithSegments("/metrics");

    public static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>What a session is stored under: the SHA-256 of its cookie, so the store never holds a usable cookie.</summary>
    public static string SessionKey(string cookie) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(cookie)));
}
