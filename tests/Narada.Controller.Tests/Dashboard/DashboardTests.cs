using System.Text;
using System.Text.Json;
using Narada.Agent.Configuration;
using Narada.Controller.Tests.EndToEnd;
using Narada.Testing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Narada.Controller.Tests.Dashboard;

/// <summary>The dashboard in a real headless Chromium (Debian's chromium and chromedriver), against a real controller.</summary>
[Trait("Category", "Peers")]
public sealed class DashboardTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-dashboard-").FullName;
    private LiveFleet _fleet = null!;
    private ChromeDriver _browser = null!;

    private NaradaController Controller => _fleet.Controller;

    private Uri Url(string path) => new(Controller.HttpAddress!, path);

    public async Task InitializeAsync()
    {
        var applied = Directory.CreateDirectory(Path.Combine(_dir, "applied")).FullName;
        _fleet = await LiveFleet.StartAsync($$"""
            kind: Apply
            name: motd
            targets: { hosts: [web01] }
            files:
              - path: "{{Path.Combine(applied, "motd")}}"
                content: "welcome from the dashboard\n"
            """);
        _fleet.AddAgent("web01", [], TimeSpan.FromSeconds(1), new ApplyConfig { Paths = [applied], BackupDir = Path.Combine(_dir, "backup") });
        _browser = HeadlessChromium.Start();
    }

    private void Push(string check, int status, string output)
    {
        var message = JsonSerializer.Serialize(new { v = 1, type = "passive", host = "web01", name = check, status, output });
        Controller.Intake.Handle(Encoding.UTF8.GetBytes(message), DateTimeOffset.UtcNow);
    }

    private string Main() => (string)_browser.ExecuteScript("return document.getElementById('main').innerText")!;

    /// <summary>The text of each table row in the page's main part (shown ones only, when asked), read in one go in
    /// the page, so a live update cannot swap the rows out between reading two of them.</summary>
    private string[] Rows(bool shownOnly = false) =>
        [.. ((IReadOnlyCollection<object>)_browser.ExecuteScript(
            "return [...document.querySelectorAll('main tbody tr')].filter(r => !arguments[0] || !r.hidden).map(r => r.innerText)", shownOnly)!)
            .Cast<string>()];

    /// <summary>Does something to the page, again if a live update replaced the element meanwhile.</summary>
    private async Task ActAsync(Action act, string what) => await Retry.UntilAsync(() =>
    {
        try
        {
            act();
            return true;
        }
        catch (Exception e) when (e is StaleElementReferenceException or ElementNotInteractableException)
        {
            return false;
        }
    }, what, TimeSpan.FromSeconds(20));

    private async Task UntilAsync(Func<bool> condition, string what) => await Retry.UntilAsync(() =>
    {
        try
        {
            return condition();
        }
        catch (StaleElementReferenceException)
        {
            return false; // the live update replaced the element between finding and reading it
        }
    }, what, TimeSpan.FromSeconds(20));

    [Fact]
    public async Task The_overview_puts_the_worst_problem_first_and_follows_a_result_live_without_a_reload()
    {
        Push("web", 0, "HTTP OK");
        Push("disk", 1, "DISK WARNING - 85% used");
        Push("backup", 2, "BACKUP CRITICAL - last run failed");

        _browser.Navigate().GoToUrl(Url("/"));
        var rows = Rows();
        Assert.Equal(2, rows.Length); // the OK check is not a problem
        Assert.Contains("✖ CRITICAL", rows[0]);
        Assert.Contains("backup", rows[0]);
        Assert.Contains("▲ WARNING", rows[1]);
        Assert.Equal("Overview · Narada", _browser.Title);
        await UntilAsync(() => _browser.FindElement(By.Id("live")).Text == "● live", "the live stream connected");

        Screenshot("overview");

        // Results sent as any Gearman client would, with the real gearman tool, show on the open page: a new CRITICAL
        // one appears, a recovered one leaves.
        foreach (var (check, status, output) in new[] { ("raid", 2, "RAID CRITICAL - disk 3 failed"), ("backup", 0, "BACKUP OK") })
        {
            var sent = await ExternalProcess.RunAsync(RequiredTool.Gearman, ["-h", _fleet.Servers[0].Host, "-p", _fleet.Servers[0].Port.ToString(), "-b", "-f",
                "narada.results", JsonSerializer.Serialize(new { v = 1, type = "passive", host = "web01", name = check, status, output })]);
            Assert.True(sent.ExitCode == 0, sent.ToString());
        }

        await UntilAsync(() => Main().Contains("RAID CRITICAL - disk 3 failed", StringComparison.Ordinal)
            && !Main().Contains("backup", StringComparison.Ordinal), "the new problem shown and the recovered one gone");
        Assert.Contains("disk", Main());
        Assert.Equal(1L, (long)_browser.ExecuteScript("return window.naradaPageLoads")!); // updated in place, not reloaded
    }

    [Fact]
    public async Task A_dry_run_started_on_the_rollouts_page_shows_what_would_change()
    {
        await UntilAsync(() => Controller.Hosts.TryGet("web01", out var h) && h.Status == Narada.Controller.Hosts.HostStatus.Up, "web01 up");
        _browser.Navigate().GoToUrl(Url("/rollouts"));
        Assert.Contains("No rollouts yet", Main());
        await ActAsync(() => _browser.FindElement(By.XPath("//button[text()='Start dry run']")).Click(), "starting the dry run");

        await UntilAsync(() => _browser.Url.Contains("/rollouts/", StringComparison.Ordinal) && Main().Contains("finished", StringComparison.Ordinal),
            "the dry run's page");
        Assert.Contains("(dry run)", Main());
        Assert.Contains("+welcome from the dashboard", (string)_browser.ExecuteScript("return document.querySelector('pre.diff').innerText")!);
        Assert.False(File.Exists(Path.Combine(_dir, "applied", "motd"))); // a dry run changes nothing
        Screenshot("dry-run");
    }

    [Fact]
    public async Task Every_view_has_its_own_page_and_each_is_kept_as_a_screenshot()
    {
        Push("disk", 1, "DISK WARNING - 85% used");
        await UntilAsync(() => Controller.Hosts.TryGet("web01", out var h) && h.Status == Narada.Controller.Hosts.HostStatus.Up, "web01 up");
        foreach (var (path, title, shows) in new[]
                 {
                     ("/", "Overview", "What is broken right now"), ("/hosts", "Hosts", "web01"), ("/hosts/web01", "web01", "Statistics"),
                     ("/checks", "Checks", "DISK WARNING"), ("/checks/disk/web01", "disk on web01", "State changes"),
                     ("/events", "Events", "WARNING"), ("/silences", "Silences", "Add a silence"), ("/rollouts", "Rollouts", "Start dry run"),
                     ("/jobserver", "Job server", "narada.results"),
                 })
        {
            _browser.Navigate().GoToUrl(Url(path));
            Assert.Equal($"{title} · Narada", _browser.Title);
            Assert.Contains(shows, Main());
            Screenshot(path == "/" ? "overview-page" : path.Trim('/').Replace('/', '-'));
        }
    }

    [Fact]
    public void Html_in_a_check_output_is_shown_as_text_never_run()
    {
        Push("evil", 2, "<script>window.pwned = 1</script><b>bold</b>");
        _browser.Navigate().GoToUrl(Url("/checks/evil/web01"));

        Assert.Contains("<script>window.pwned = 1</script><b>bold</b>", Main());
        Assert.Null(_browser.ExecuteScript("return window.pwned"));
        Assert.Equal(0L, (long)_browser.ExecuteScript("return document.querySelectorAll('main b').length")!);
    }

    [Fact]
    public async Task An_unknown_page_and_an_unknown_host_say_so()
    {
        _browser.Navigate().GoToUrl(Url("/no/such/page"));
        Assert.Contains("Nothing at /no/such/page", Main());
        _browser.Navigate().GoToUrl(Url("/hosts/ghost"));
        Assert.Contains("Nothing at /hosts/ghost", Main());
        using var http = new HttpClient();
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(Url("/hosts/ghost"))).StatusCode);
        Screenshot("not-found");
    }

    private void Screenshot(string name) => _browser.Screenshot(name);

    [Fact]
    public async Task A_silence_is_added_and_lifted_from_its_page()
    {
        _browser.Navigate().GoToUrl(Url("/silences"));
        Assert.Contains("No silences", Main());
        await ActAsync(() => _browser.FindElement(By.Id("silence-host")).SendKeys("web01"), "typing the host");
        _browser.FindElement(By.Id("silence-duration")).Clear();
        _browser.FindElement(By.Id("silence-duration")).SendKeys("30m");
        _browser.FindElement(By.Id("silence-reason")).SendKeys("disk swap on web01");
        _browser.FindElement(By.CssSelector("form.stack button[type=submit]")).Click();

        await UntilAsync(() => Main().Contains("disk swap on web01", StringComparison.Ordinal), "the silence listed");
        Screenshot("silences");
        using (var http = new HttpClient())
            Assert.Contains("disk swap on web01", await http.GetStringAsync(Url("/api/silences"))); // it reached the API
        var silence = Assert.Single(Controller.Silences.Active(DateTimeOffset.UtcNow));
        Assert.Equal(("web01", null), (silence.Host, silence.Check));
        Assert.InRange(silence.Until - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30));

        await ActAsync(() => _browser.FindElement(By.XPath("//button[text()='Lift']")).Click(), "lifting");
        await UntilAsync(() => Main().Contains("No silences", StringComparison.Ordinal), "the silence lifted");
        Assert.Empty(Controller.Silences.Active(DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task Slash_focuses_the_filter_and_typing_narrows_the_checks()
    {
        Push("disk", 0, "DISK OK");
        Push("load", 0, "LOAD OK");
        _browser.Navigate().GoToUrl(Url("/checks"));
        await UntilAsync(() => Rows().Length == 2, "both checks listed");

        await ActAsync(() => _browser.FindElement(By.TagName("body")).SendKeys("/"), "pressing /");
        Assert.Equal("filter", _browser.SwitchTo().ActiveElement().GetAttribute("id"));
        await ActAsync(() => _browser.SwitchTo().ActiveElement().SendKeys("load"), "typing in the filter");

        Assert.Contains("load", Assert.Single(Rows(shownOnly: true)));
        // Each view has its own address: the check's page is a link away, and back returns to the list.
        await ActAsync(() => _browser.FindElement(By.LinkText("load")).Click(), "following the link");
        await UntilAsync(() => _browser.Url.EndsWith("/checks/load/web01", StringComparison.Ordinal), "the check's page");
        Assert.Contains("LOAD OK", Main());
        _browser.Navigate().Back();
        await UntilAsync(() => _browser.Url.EndsWith("/checks", StringComparison.Ordinal), "back on the list");
    }

    public async Task DisposeAsync()
    {
        _browser?.Quit();
        _browser?.Dispose();
        await _fleet.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
