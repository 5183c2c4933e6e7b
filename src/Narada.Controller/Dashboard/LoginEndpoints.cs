using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Narada.Controller.Access;
using Narada.Controller.History;
using Narada.Controller.Http;
using static Narada.Controller.Dashboard.Html;

namespace Narada.Controller.Dashboard;

/// <summary>
/// Signing in to the dashboard: <c>/login</c> takes a user name and password (or one of the user's tokens) and starts
/// a session, stored in the controller's store so every member of a cluster knows it, and carried by an HttpOnly,
/// SameSite=Lax cookie (Secure under HTTPS); <c>/logout</c> ends it. Failed attempts are held back per user and per
/// address (<see cref="LoginThrottle"/>), counted on /metrics and written to the audit trail.
/// </summary>
internal static class LoginEndpoints
{
    public static void Map(WebApplication app, NaradaController controller)
    {
        app.MapGet("/login", (HttpContext http, string? next) =>
        {
            if (Caller.Of(http).Via == CallerVia.Session)
            {
                http.Response.Redirect(LocalPath(next), permanent: false);
                return Task.CompletedTask;
            }
            return WriteLoginPageAsync(http, controller, message: null);
        }).Needs(Need.Public);
        app.MapPost("/login", (HttpContext http) => LoginAsync(http, controller)).Needs(Need.Public);
        app.MapPost("/logout", (HttpContext http) =>
        {
            var caller = Caller.Of(http);
            if (caller.SessionKey is { } key)
            {
                controller.History.EndSession(key);
                AuditTrail.Record(controller, http, "logout", caller.Name, "");
            }
            http.Response.Cookies.Delete(SessionNames.Cookie, Cookie(controller, DateTimeOffset.UnixEpoch));
            http.Response.Redirect("/login", permanent: false);
            return Task.CompletedTask;
        }).Needs(Need.Public);
    }

    /// <summary>The login form (the page a signed-out visitor gets for any dashboard page, with status 401).</summary>
    public static Task WriteLoginPageAsync(HttpContext http, NaradaController controller, string? message)
    {
        var next = http.Request.Path.StartsWithSegments("/login") ? http.Request.Query["next"].ToString() : http.Request.Path + http.Request.QueryString;
        string main = controller.Users is null
            ? """<h1>No logins here</h1><p>This controller has no users file (<code>narada server --users FILE</code>): reading is open and changes are taken from loopback. <a href="/">Go to the dashboard</a>.</p>"""
            : $"""
                <h1>Log in</h1>
                {(message is null ? "" : $"""<p class="critical" role="alert">✖ {E(message)}</p>""")}
                <form class="stack login" method="post" action="/login">
                  <input type="hidden" name="next" value="{E(LocalPath(next))}">
                  <label for="login-name">user</label><input id="login-name" name="name" autocomplete="username" required autofocus>
                  <label for="login-password">password</label><input id="login-password" name="password" type="password" autocomplete="current-password" required>
                  <button type="submit">Log in</button>
                </form>
                <p class="muted">A user's password, or one of their tokens, from <code>narada users add</code>.</p>
                """;
        return DashboardEndpoints.WritePageAsync(http, "", "Log in", main, navigation: false);
    }

    private static async Task LoginAsync(HttpContext http, NaradaController controller)
    {
        if (controller.Users is not { } users || !DashboardEndpoints.SameOrigin(http) || !http.Request.HasFormContentType)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await WriteLoginPageAsync(http, controller, controller.Users is null ? null : "log in from the dashboard's own login page");
            return;
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var name = form["name"].ToString().Trim();
        var password = form["password"].ToString();
        var address = AccessGate.Address(http);
        if (controller.LoginThrottle.Blocked(name, address) is { } wait)
        {
            controller.Metrics.AuthThrottled.Inc();
            AuditTrail.Record(controller, http, "login.failed", name, "held back: too many failed attempts", actor: name);
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await WriteLoginPageAsync(http, controller, $"too many failed attempts; try again in {Math.Ceiling(wait.TotalMinutes)} min");
            return;
        }
        if (name.Length == 0 || users.ByPassword(name, password) is not { } user)
        {
            controller.LoginThrottle.Failed(name.Length == 0 ? null : name, address);
            controller.Metrics.AuthFailures.WithLabels("login").Inc();
            AuditTrail.Record(controller, http, "login.failed", name, "wrong user name or password", actor: name.Length == 0 ? "anonymous" : name);
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await WriteLoginPageAsync(http, controller, "wrong user name or password");
            return;
        }
        controller.LoginThrottle.Succeeded(user.Name);
        var cookie = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = DateTimeOffset.UtcNow;
        var expires = now + controller.SessionLifetime;
        controller.History.StartSession(new SessionRecord(AccessGate.SessionKey(cookie), user.Name, Base64Url(RandomNumberGenerator.GetBytes(24)),
            now, expires, address));
        controller.Metrics.Logins.Inc();
        AuditTrail.Record(controller, http, "login", user.Name, $"role {Roles.Name(user.Role)}", actor: user.Name);
        http.Response.Cookies.Append(SessionNames.Cookie, cookie, Cookie(controller, expires));
        http.Response.Redirect(LocalPath(form["next"].ToString()), permanent: false);
    }

    private static CookieOptions Cookie(NaradaController controller, DateTimeOffset expires) => new()
    {
        HttpOnly = true,
        Secure = controller.ServesHttps,
        SameSite = SameSiteMode.Lax,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };

    /// <summary>Where to go after logging in: a page of this dashboard only (never another site, the login page, or
    /// a form's target, which a signed-out post was refused at).</summary>
    private static string LocalPath(string? next) =>
        next is { Length: > 1 } path && path[0] == '/' && path[1] != '/' && path[1] != '\\'
            && !path.StartsWith("/login", StringComparison.Ordinal) && !path.StartsWith("/ui/", StringComparison.Ordinal)
            ? path
            : "/";

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
