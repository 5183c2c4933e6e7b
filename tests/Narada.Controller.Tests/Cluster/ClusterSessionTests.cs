using System.Net;
using System.Text.RegularExpressions;
using Narada.Controller.Access;
using Narada.Controller.Store;
using Narada.Controller.Tests.Access;
using Narada.Controller.Tests.EndToEnd;
using Narada.Testing;

namespace Narada.Controller.Tests.Cluster;

/// <summary>Two controllers on one real PostgreSQL with one users file: a dashboard login on one is a login on the
/// other, and a logout on either ends it on both.</summary>
[Trait("Category", "Peers")]
public sealed partial class ClusterSessionTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-cluster-session-").FullName;
    private LiveFleet _first = null!;
    private LiveFleet _second = null!;

    public async Task InitializeAsync()
    {
        var users = TestUsers.Write(_dir);
        var store = new StoreLocation(StoreKind.Postgres, await (await PostgresServer.SharedAsync()).CreateDatabaseAsync());
        const string definitions = "kind: Check\nname: d\nplugin: nagios.check_dummy\nevery: 1h\ntargets: { hosts: [web01] }\n";
        _first = await LiveFleet.StartAsync(definitions, configure: o => o with { Store = store, UsersFile = users.Path });
        _second = await LiveFleet.StartAsync(definitions, configure: o => o with { Store = store, UsersFile = users.Path });
    }

    private static HttpClient Client(LiveFleet fleet, CookieContainer cookies) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = fleet.Controller.HttpAddress };

    [Fact]
    public async Task A_login_on_one_member_works_on_the_other_and_a_logout_there_ends_it_on_both()
    {
        var jar = new CookieContainer();
        using var first = Client(_first, jar);
        var login = await first.PostAsync("login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "operator",
            ["password"] = TestUsers.Password(Role.Operator),
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        // The same cookie, sent to the other member (both listen on 127.0.0.1, so the jar sends it to either port).
        using var second = Client(_second, jar);
        var page = await second.GetStringAsync("silences");
        Assert.Contains("operator · operator", page);
        var formToken = FormToken().Match(page).Groups[1].Value;

        var added = await second.PostAsync("ui/silences", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["duration"] = "1h",
            ["reason"] = "from the second member",
            [SessionNames.FormField] = formToken,
        }));
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);

        var logout = await second.PostAsync("logout", new FormUrlEncodedContent(new Dictionary<string, string> { [SessionNames.FormField] = formToken }));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        // The logout cleared the jar's cookie; the first member is asked with the old one, as a copied cookie would be.
        using var stale = new HttpRequestMessage(HttpMethod.Get, "silences");
        stale.Headers.Add("Cookie", $"{SessionNames.Cookie}={SessionCookieOf(login)}");
        using var plain = new HttpClient { BaseAddress = _first.Controller.HttpAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await plain.SendAsync(stale)).StatusCode);
    }

    private static string SessionCookieOf(HttpResponseMessage login) =>
        login.Headers.GetValues("Set-Cookie").Single().Split(';')[0].Split('=', 2)[1];

    [GeneratedRegex("name=\"_csrf\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
