using Narada.Controller.Access;
using Narada.Controller.Tests.Access;
using Narada.Controller.Tests.EndToEnd;
using Narada.Testing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Narada.Controller.Tests.Dashboard;

/// <summary>Logging in to the dashboard in a real headless Chromium against a controller with a users file: what each
/// role sees and may do, and logging out.</summary>
[Trait("Category", "Peers")]
public sealed class LoginTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-login-").FullName;
    private LiveFleet _fleet = null!;
    private ChromeDriver _browser = null!;

    private Uri Url(string path) => new(_fleet.Controller.HttpAddress!, path);

    public async Task InitializeAsync()
    {
        var users = TestUsers.Write(_dir);
        _fleet = await LiveFleet.StartAsync("""
            kind: Check
            name: disk
            plugin: nagios.check_dummy
            params: { state: 0, text: fine }
            every: 1h
            targets: { hosts: [web01] }
            """, configure: o => o with { UsersFile = users.Path });
        _browser = HeadlessChromium.Start();
    }

    private async Task UntilAsync(Func<bool> condition, string what) => await Retry.UntilAsync(() =>
    {
        try
        {
            return condition();
        }
        catch (StaleElementReferenceException)
        {
            return false;
        }
    }, what, TimeSpan.FromSeconds(20));

    private string Main() => (string)_browser.ExecuteScript("return document.getElementById('main').innerText")!;

    private async Task LogInAsync(Role role, string page)
    {
        _browser.Navigate().GoToUrl(Url(page));
        await UntilAsync(() => _browser.Title.StartsWith("Log in", StringComparison.Ordinal), "the login page");
        _browser.FindElement(By.Id("login-name")).SendKeys(Roles.Name(role));
        _browser.FindElement(By.Id("login-password")).SendKeys(TestUsers.Password(role));
        _browser.FindElement(By.CssSelector("form.login button")).Click();
        await UntilAsync(() => _browser.FindElements(By.CssSelector("header .whoami")).Count == 1, $"to be logged in as {Roles.Name(role)}");
        Assert.Equal(Url(page), new Uri(_browser.Url));
        Assert.Contains($"{Roles.Name(role)} · {Roles.Name(role)}", _browser.FindElement(By.CssSelector("header .whoami")).Text);
    }

    private async Task LogOutAsync()
    {
        _browser.FindElement(By.CssSelector("header .whoami button")).Click();
        await UntilAsync(() => _browser.Title.StartsWith("Log in", StringComparison.Ordinal), "the login page after logging out");
    }

    [Fact]
    public async Task A_viewer_gets_no_silence_form_and_is_refused_an_operator_adds_one_and_logout_ends_the_session()
    {
        _browser.Navigate().GoToUrl(Url("/silences"));
        await UntilAsync(() => _browser.Title.StartsWith("Log in", StringComparison.Ordinal), "the login page for a signed-out visitor");
        _browser.Screenshot("login");

        // A wrong password: said so, on the same page.
        _browser.FindElement(By.Id("login-name")).SendKeys("viewer");
        _browser.FindElement(By.Id("login-password")).SendKeys("not-the-password");
        _browser.FindElement(By.CssSelector("form.login button")).Click();
        await UntilAsync(() => Main().Contains("wrong user name or password", StringComparison.Ordinal), "the wrong password to be refused");

        await LogInAsync(Role.Viewer, "/silences");
        Assert.Empty(_browser.FindElements(By.Id("silence-reason")));
        Assert.Contains("needs the operator role", Main());
        Assert.DoesNotContain("Audit", _browser.FindElement(By.CssSelector("header nav")).Text);
        _browser.Screenshot("login-viewer-silences");
        // A form posted anyway, with the session's own form token, is refused.
        var status = (long)_browser.ExecuteAsyncScript("""
            var done = arguments[arguments.length - 1];
            var body = new URLSearchParams({ duration: "1h", reason: "sneaky", _csrf: document.querySelector("input[name=_csrf]").value });
            fetch("/ui/silences", { method: "POST", body: body, redirect: "manual" }).then(r => done(r.status));
            """)!;
        Assert.Equal(403, status);
        Assert.Empty(_fleet.Controller.Silences.Active(DateTimeOffset.UtcNow));

        await LogOutAsync();
        _browser.Navigate().GoToUrl(Url("/silences"));
        await UntilAsync(() => _browser.Title.StartsWith("Log in", StringComparison.Ordinal), "the login page again: the session is over");

        await LogInAsync(Role.Operator, "/silences");
        _browser.FindElement(By.Id("silence-host")).SendKeys("web01");
        _browser.FindElement(By.Id("silence-reason")).SendKeys("disk swap");
        _browser.FindElement(By.CssSelector("form.stack button")).Click();
        await UntilAsync(() => Main().Contains("disk swap", StringComparison.Ordinal), "the new silence on the page");
        Assert.Contains(_fleet.Controller.Silences.Active(DateTimeOffset.UtcNow), s => s.Host == "web01" && s.Reason == "disk swap");
        _browser.Screenshot("login-operator-silences");
        await LogOutAsync();

        await LogInAsync(Role.Admin, "/audit");
        await UntilAsync(() => Main().Contains("silence.add", StringComparison.Ordinal), "the audit page to show the silence");
        var rows = Main();
        Assert.Contains("login.failed", rows);
        Assert.Contains("operator", rows);
        _browser.Screenshot("audit");
    }

    public async Task DisposeAsync()
    {
        _browser?.Quit();
        _browser?.Dispose();
        await _fleet.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
