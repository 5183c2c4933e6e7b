using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Narada.Controller.Access;

/// <summary>How a caller was recognised.</summary>
public enum CallerVia
{
    /// <summary>Nothing recognised it.</summary>
    Anonymous,

    /// <summary>Without a users file: a connection from this machine.</summary>
    Loopback,

    Token,
    Session,
    Certificate,
}

/// <summary>Who is calling, as the access gate recognised them, for the endpoints (what to show) and the audit trail.</summary>
public sealed record Caller(string Name, Role? Role, CallerVia Via)
{
    private const string Key = "narada.caller";

    /// <summary>With a session: the token its forms must carry (CSRF).</summary>
    public string? FormToken { get; init; }

    /// <summary>With a session: the SHA-256 of its cookie, the key it is stored under.</summary>
    public string? SessionKey { get; init; }

    /// <summary>With a token: its public id.</summary>
    public string? TokenId { get; init; }

    public bool May(Need need) => need == Need.Public || (Role is { } role && role.Allows(need));

    /// <summary>How the audit trail names this caller: the user, with the token id when one was used.</summary>
    public string Actor => TokenId is null ? Name : $"{Name} (token {TokenId})";

    public static Caller Of(HttpContext http) =>
        http.Items.TryGetValue(Key, out var caller) && caller is Caller known ? known : new Caller("anonymous", null, CallerVia.Anonymous);

    public void Attach(HttpContext http) => http.Items[Key] = this;
}

/// <summary>The names a dashboard session travels under.</summary>
public static class SessionNames
{
    /// <summary>The cookie that carries a session (HttpOnly, SameSite=Lax, Secure under HTTPS).</summary>
    public const string Cookie = "narada_session";

    /// <summary>The form field a signed-in page's forms carry their session's form token in (CSRF).</summary>
    public const string FormField = "_csrf";

    /// <summary>The same token as a request header, for scripts that post with a session.</summary>
    public const string FormHeader = "X-Narada-Csrf";
}

/// <summary>An endpoint's access rule, as endpoint metadata; an endpoint without one is refused to everybody.</summary>
public sealed record AccessRule(Need Need);

public static class AccessRuleExtensions
{
    public static TBuilder Needs<TBuilder>(this TBuilder endpoint, Need need) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new AccessRule(need));
}
