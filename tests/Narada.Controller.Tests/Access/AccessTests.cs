using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Narada.Agent.Configuration;
using Narada.Controller.Access;
using Narada.Controller.Tests.EndToEnd;
using Narada.Testing;

namespace Narada.Controller.Tests.Access;

/// <summary>A controller with a users file: every endpoint against every role, sessions, CSRF, throttling, the audit
/// trail and a reload, over real HTTP with a real agent behind it.</summary>
[Trait("Category", "Peers")]
public sealed class AccessTests : IAsyncLifetime
{
    /// <summary>
    /// Every endpoint and the least role it needs (null: anyone). The test below compares this with the endpoints the
    /// running controller has, so an endpoint added without a line here fails it instead of going unchecked.
    /// </summary>
    private static readonly Dictionary<string, Role?> Expected = new()
    {
        ["GET /"] = Role.Viewer,
        ["GET /api"] = Role.Viewer,
        ["GET /api/acks"] = Role.Viewer,
        ["GET /api/downtimes"] = Role.Viewer,
        ["POST /api/acks"] = Role.Operator,
        ["DELETE /api/acks/{check}/{host}"] = Role.Operator,
        ["POST /api/checks/{check}/{host}/run"] = Role.Operator,
        ["POST /ui/checks/{check}/{host}/{action}"] = Role.Operator,
        ["POST /api/apply/{name}"] = Role.Admin,
        ["GET /api/audit"] = Role.Admin,
        ["GET /api/checks"] = Role.Viewer,
        ["GET /api/cluster"] = Role.Viewer,
        ["GET /api/events"] = Role.Viewer,
        ["GET /api/health"] = Role.Metrics,
        ["GET /api/hosts"] = Role.Viewer,
        ["GET /api/rollouts"] = Role.Viewer,
        ["GET /api/rollouts/{id}"] = Role.Viewer,
        ["GET /api/silences"] = Role.Viewer,
        ["POST /api/silences"] = Role.Operator,
        ["DELETE /api/silences/{id}"] = Role.Operator,
        ["GET /audit"] = Role.Admin,
        ["GET /checks"] = Role.Viewer,
        ["GET /checks/{check}/{host}"] = Role.Viewer,
        ["GET /events"] = Role.Viewer,
        ["GET /hosts"] = Role.Viewer,
        ["GET /hosts/{name}"] = Role.Viewer,
        ["GET /jobserver"] = Role.Viewer,
        ["GET /login"] = null,
        ["POST /login"] = null,
        ["POST /logout"] = null,
        ["GET /metrics"] = Role.Metrics,
        ["GET /rollouts"] = Role.Viewer,
        ["GET /rollouts/{id}"] = Role.Viewer,
        ["GET /silences"] = Role.Viewer,
        ["POST /ui/rollouts"] = Role.Admin,
        ["POST /ui/silences"] = Role.Operator,
        ["POST /ui/silences/{id}/lift"] = Role.Operator,
        ["GET /ui/stream"] = Role.Viewer,
        ["GET /ui/assets/dashboard.css"] = null,
        ["GET /ui/assets/dashboard.js"] = null,
    };

    private readonly string _dir = Directory.CreateTempSubdirectory("narada-access-").FullName;
    private LiveFleet _fleet = null!;
    private TestUsers _users = null!;

    private Uri Base => _fleet.Controller.HttpAddress!;

    public async Task InitializeAsync()
    {
        var applied = Directory.CreateDirectory(Path.Combine(_dir, "applied")).FullName;
        _users = TestUsers.Write(_dir);
        _fleet = await LiveFleet.StartAsync($$"""
            kind: Apply
            name: motd
            targets: { hosts: [web01] }
            files:
              - path: "{{Path.Combine(applied, "motd")}}"
                content: "secret-looking content\n"
            """, configure: o => o with { UsersFile = _users.Path });
        _fleet.AddAgent("web01", [], TimeSpan.FromSeconds(1), new ApplyConfig { Paths = [applied], BackupDir = Path.Combine(_dir, "backup") });
    }

    private HttpClient Client(Role? role = null, CookieContainer? cookies = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies ?? new CookieContainer() })
        {
            BaseAddress = Base,
            Timeout = TimeSpan.FromSeconds(60),
        };
        if (role is { } known)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _users.Tokens[known]);
        return client;
    }

    /// <summary>The endpoint table key of a route: asset URLs carry a content hash, which the table leaves out.</summary>
    private static string KeyOf(string method, string path) =>
        path.StartsWith("/ui/assets/", StringComparison.Ordinal)
            ? $"{method} /ui/assets/{path.Split('/')[^1].Split('.')[0]}.{path.Split('.')[^1]}"
            : $"{method} {path}";

    [Fact]
    public async Task Every_endpoint_answers_each_role_as_the_table_says_and_the_table_covers_every_endpoint()
    {
        using var admin = Client(Role.Admin);
        var index = await admin.GetFromJsonAsync<JsonElement>("api");
        var routes = index.GetProperty("endpoints").EnumerateArray()
            .Select(e => (Method: e.GetProperty("method").GetString()!, Path: e.GetProperty("path").GetString()!, Needs: e.GetProperty("needs").GetString()!))
            .ToList();

        Assert.Equal(Expected.Keys.Order(StringComparer.Ordinal), routes.Select(r => KeyOf(r.Method, r.Path)).Order(StringComparer.Ordinal));
        var refusals = new List<string>();
        foreach (var (method, path, needs) in routes)
        {
            var least = Expected[KeyOf(method, path)];
            Assert.Equal(least is { } role ? Roles.Name(role) : "anyone", needs);
            foreach (Role? caller in new Role?[] { null, Role.Metrics, Role.Viewer, Role.Operator, Role.Admin })
            {
                var status = await StatusAsync(caller, method, path);
                int expected = least is null || (caller is { } c && c.Allows(NeedOf(least.Value))) ? 0 : caller is null ? 401 : 403;
                bool right = expected == 0 ? status is not (401 or 403 or 500) : status == expected;
                if (!right)
                    refusals.Add($"{method} {path} as {(caller is { } r ? Roles.Name(r) : "anonymous")}: {status}, expected {(expected == 0 ? "allowed" : expected)}");
            }
        }
        Assert.Empty(refusals);
    }

    private static Need NeedOf(Role role) => (Need)((int)role + 1);

    private async Task<int> StatusAsync(Role? role, string method, string path)
    {
        using var client = Client(role);
        var concrete = path.Replace("{name}", "motd").Replace("{id}", "nope").Replace("{check}", "c").Replace("{host}", "h")
            .Replace("{action}", "run");
        if (path == "/api/apply/{name}")
            concrete += "?dry_run=true";
        using var request = new HttpRequestMessage(new HttpMethod(method), concrete);
        if (method == "POST")
            request.Content = path.StartsWith("/api/", StringComparison.Ordinal) && path != "/api/apply/{name}"
                ? new StringContent("{}", System.Text.Encoding.UTF8, "application/json")
                : path == "/login"
                    ? new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "viewer", ["password"] = TestUsers.Password(Role.Viewer) })
                    : new FormUrlEncodedContent([]);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return (int)response.StatusCode;
    }

    [Fact]
    public async Task Refusals_say_why_as_json_for_programs_and_as_a_page_for_people()
    {
        using var anonymous = Client();
        var api = await anonymous.GetAsync("api/hosts");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("Bearer", api.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("Authorization: Bearer", (await api.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());

        var page = await anonymous.GetAsync("hosts?status=down");
        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        var login = await page.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Log in</h1>", login);
        Assert.Contains("value=\"/hosts?status=down\"", login); // back to the page asked for after logging in

        using var viewer = Client(Role.Viewer);
        var refused = await viewer.PostAsJsonAsync("api/silences", new { duration = "1h", reason = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("viewer is a viewer; this needs operator or above", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());

        using var wrong = new HttpClient { BaseAddress = Base };
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _users.Tokens[Role.Admin][..^2] + "xx");
        var bad = await wrong.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Contains("not valid", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Diffs_of_a_dry_run_are_shown_to_admins_only()
    {
        using var admin = Client(Role.Admin);
        await Retry.UntilAsync(() => _fleet.Controller.Hosts.TryGet("web01", out _), "web01 to check in", TimeSpan.FromSeconds(30));
        using (var run = await admin.PostAsync("api/apply/motd?dry_run=true", null))
            Assert.Contains("\"changed\"", await run.Content.ReadAsStringAsync());
        await _fleet.Controller.History.FlushAsync();
        var id = (await admin.GetFromJsonAsync<JsonElement>("api/rollouts"))[0].GetProperty("id").GetString();

        var asAdmin = await admin.GetFromJsonAsync<JsonElement>($"api/rollouts/{id}");
        Assert.Contains("secret-looking content", asAdmin[0].GetProperty("diff").GetString());
        using var viewer = Client(Role.Viewer);
        var asViewer = await viewer.GetFromJsonAsync<JsonElement>($"api/rollouts/{id}");
        Assert.Equal("changed", asViewer[0].GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, asViewer[0].GetProperty("diff").ValueKind);
        var page = await viewer.GetStringAsync($"rollouts/{id}");
        Assert.DoesNotContain("secret-looking content", page);
        Assert.Contains("diff(s) hidden", page);
        Assert.Contains("secret-looking content", await admin.GetStringAsync($"rollouts/{id}"));
    }

    private async Task<(HttpClient Client, string FormToken)> LogInAsync(Role role)
    {
        var client = Client(cookies: new CookieContainer());
        var answer = await client.PostAsync("login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = Roles.Name(role),
            ["password"] = TestUsers.Password(role),
            ["next"] = "/silences",
        }));
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal("/silences", answer.Headers.Location!.OriginalString);
        var cookie = answer.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        var page = await client.GetStringAsync("silences");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"_csrf\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);
        return (client, token);
    }

    [Fact]
    public async Task A_session_changes_things_only_with_its_form_token_and_logout_ends_it()
    {
        var (operatorSession, formToken) = await LogInAsync(Role.Operator);
        using (operatorSession)
        {
            var forged = await operatorSession.PostAsync("ui/silences", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["duration"] = "1h",
                ["reason"] = "forged",
            }));
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
            Assert.Contains("reload the page", await forged.Content.ReadAsStringAsync());
            Assert.DoesNotContain(_fleet.Controller.Silences.Active(DateTimeOffset.UtcNow), s => s.Reason == "forged");

            var real = await operatorSession.PostAsync("ui/silences", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["duration"] = "1h",
                ["reason"] = "deploying",
                [SessionNames.FormField] = formToken,
            }));
            Assert.Equal(HttpStatusCode.Redirect, real.StatusCode);
            var silence = Assert.Single(_fleet.Controller.Silences.Active(DateTimeOffset.UtcNow), s => s.Reason == "deploying");

            using var admin = Client(Role.Admin);
            var audit = await admin.GetFromJsonAsync<JsonElement>("api/audit?actor=operator");
            var actions = audit.EnumerateArray().Select(e => (e.GetProperty("action").GetString(), e.GetProperty("target").GetString())).ToArray();
            Assert.Contains(("silence.add", silence.Id), actions);
            Assert.Contains(("login", "operator"), actions);

            var logout = await operatorSession.PostAsync("logout", new FormUrlEncodedContent(new Dictionary<string, string> { [SessionNames.FormField] = formToken }));
            Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await operatorSession.GetAsync("silences")).StatusCode);
            Assert.Contains(("logout", "operator"), (await admin.GetFromJsonAsync<JsonElement>("api/audit?action=logout")).EnumerateArray()
                .Select(e => (e.GetProperty("action").GetString(), e.GetProperty("target").GetString())));
        }
    }

    [Fact]
    public async Task Failed_logins_are_held_back_per_user_counted_on_metrics_and_audited()
    {
        using var anonymous = Client();
        for (int i = 0; i < LoginThrottle.PerUser; i++)
        {
            var wrong = await anonymous.PostAsync("login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["name"] = "viewer",
                ["password"] = $"guess-{i}",
            }));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains("wrong user name or password", await wrong.Content.ReadAsStringAsync());
        }
        var held = await anonymous.PostAsync("login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "viewer",
            ["password"] = TestUsers.Password(Role.Viewer),
        }));
        Assert.Equal(HttpStatusCode.TooManyRequests, held.StatusCode);
        Assert.True(held.Headers.RetryAfter!.Delta > TimeSpan.FromMinutes(14));
        // Another user from the same address still gets in.
        var (other, _) = await LogInAsync(Role.Admin);
        other.Dispose();

        using var metrics = Client(Role.Metrics);
        var text = await metrics.GetStringAsync("metrics");
        Assert.Contains("narada_http_auth_failures_total{via=\"login\"} 5", text);
        Assert.Contains("narada_http_auth_throttled_total 1", text);
        using var admin = Client(Role.Admin);
        var failed = (await admin.GetFromJsonAsync<JsonElement>("api/audit?action=login.failed")).EnumerateArray().ToArray();
        Assert.Equal(LoginThrottle.PerUser + 1, failed.Length);
        Assert.All(failed, e => Assert.Equal("viewer", e.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task A_reload_that_removes_a_user_ends_their_tokens_and_sessions_and_a_broken_file_changes_nothing()
    {
        var (session, _) = await LogInAsync(Role.Operator);
        using (session)
        {
            using var token = Client(Role.Operator);
            Assert.Equal(HttpStatusCode.OK, (await token.GetAsync("api/hosts")).StatusCode);
            var original = await File.ReadAllTextAsync(_users.Path);

            await File.WriteAllTextAsync(_users.Path, original.Replace("role: operator", "role: operater", StringComparison.Ordinal));
            Assert.False(_fleet.Controller.ReloadUsers());
            Assert.Equal(HttpStatusCode.OK, (await token.GetAsync("api/hosts")).StatusCode);

            var withoutOperator = UsersFile.Parse(original, "users.yaml").Without("operator");
            await File.WriteAllTextAsync(_users.Path, withoutOperator.Write());
            Assert.True(_fleet.Controller.ReloadUsers());
            Assert.Equal(HttpStatusCode.Unauthorized, (await token.GetAsync("api/hosts")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("silences")).StatusCode);
            using var viewer = Client(Role.Viewer);
            Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("api/hosts")).StatusCode);
        }
    }

    public async Task DisposeAsync()
    {
        await _fleet.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
