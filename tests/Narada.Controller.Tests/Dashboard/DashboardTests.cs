using System.Text;
using System.Text.Json;
using Narada.Gearman.Transport;
using Narada.Testing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Narada.Controller.Tests.Dashboard;

/// <summary>The dashboard in a real headless Chromium (Debian's chromium and chromedriver), against a real controller.</summary>
[Trait("Category", "Peers")]
public sealed class DashboardTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-dashboard-").FullName;
    private GearmandServer _gearmand = null!;
    private NaradaController _controller = null!;
    private ChromeDriver _browser = null!;

    private Uri Url(string path) => new(_controller.HttpAddress!, path);

    public async Task InitializeAsync()
    {
        _gearmand = await GearmandServer.StartAsync();
        var config = Directory.CreateDirectory(Path.Combine(_dir, "config")).FullName;
        await File.WriteAllTextAsync(Path.Combine(config, "checks.yaml"), "");
        _controller = new NaradaController(new ControllerOptions
        {
            ConfigDirectory = config,
            DataDirectory = Path.Combine(_dir, "data"),
            Servers = [new ServerAddress(_gearmand.Host, _gearmand.Port)],
            HttpListen = "127.0.0.1:0",
        });
        await _controller.StartAsync();
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(RequiredTool.Path("chromedriver", "chromium-driver"))!, "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = RequiredTool.Path("chromium", "chromium") };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,900");
        _browser = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    private void Push(string check, int status, string output)
    {
        var message = JsonSerializer.Serialize(new { v = 1, type = "passive", host = "web01", name = check, status, output });
        _controller.Intake.Handle(Encoding.UTF8.GetBytes(message), DateTimeOffset.UtcNow);
    }

    private string Main() => _browser.FindElement(By.Id("main")).Text;

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
        var rows = _browser.FindElements(By.CssSelector("main tbody tr"));
        Assert.Equal(2, rows.Count); // the OK check is not a problem
        Assert.Contains("✖ CRITICAL", rows[0].Text);
        Assert.Contains("backup", rows[0].Text);
        Assert.Contains("▲ WARNING", rows[1].Text);
        Assert.Equal("Overview · Narada", _browser.Title);
        await UntilAsync(() => _browser.FindElement(By.Id("live")).Text == "● live", "the live stream connected");

        Screenshot("overview");

        // A result sent as any Gearman client would, with the real gearman tool, shows on the open page.
        var sent = await ExternalProcess.RunAsync(RequiredTool.Gearman, ["-h", _gearmand.Host, "-p", _gearmand.Port.ToString(), "-b", "-f",
            "narada.results", JsonSerializer.Serialize(new { v = 1, type = "passive", host = "web01", name = "backup", status = 0, output = "BACKUP OK" })]);
        Assert.True(sent.ExitCode == 0, sent.ToString());

        await UntilAsync(() => !Main().Contains("backup", StringComparison.Ordinal), "the recovered check leaving the problems");
        Assert.Contains("disk", Main());
        Assert.Equal(1L, (long)_browser.ExecuteScript("return window.naradaPageLoads")!); // updated in place, not reloaded
    }

    [Fact]
    public void Html_in_a_check_output_is_shown_as_text_never_run()
    {
        Push("evil", 2, "<script>window.pwned = 1</script><b>bold</b>");
        _browser.Navigate().GoToUrl(Url("/checks/evil/web01"));

        Assert.Contains("<script>window.pwned = 1</script><b>bold</b>", Main());
        Assert.Null(_browser.ExecuteScript("return window.pwned"));
        Assert.Empty(_browser.FindElements(By.CssSelector("main b")));
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

    /// <summary>A PNG of the page as the browser drew it, beside the test assembly (screenshots/), for people to look at.</summary>
    private void Screenshot(string name)
    {
        var dir = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        _browser.GetScreenshot().SaveAsFile(Path.Combine(dir, name + ".png"));
    }

    [Fact]
    public async Task A_silence_is_added_and_lifted_from_its_page()
    {
        _browser.Navigate().GoToUrl(Url("/silences"));
        Assert.Contains("No silences", Main());
        _browser.FindElement(By.Id("silence-host")).SendKeys("web01");
        _browser.FindElement(By.Id("silence-duration")).Clear();
        _browser.FindElement(By.Id("silence-duration")).SendKeys("30m");
        _browser.FindElement(By.Id("silence-reason")).SendKeys("disk swap on web01");
        _browser.FindElement(By.CssSelector("form.stack button[type=submit]")).Click();

        await UntilAsync(() => Main().Contains("disk swap on web01", StringComparison.Ordinal), "the silence listed");
        Screenshot("silences");
        using (var http = new HttpClient())
            Assert.Contains("disk swap on web01", await http.GetStringAsync(Url("/api/silences"))); // it reached the API
        var silence = Assert.Single(_controller.Silences.Active(DateTimeOffset.UtcNow));
        Assert.Equal(("web01", null), (silence.Host, silence.Check));
        Assert.InRange(silence.Until - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30));

        _browser.FindElement(By.XPath("//button[text()='Lift']")).Click();
        await UntilAsync(() => Main().Contains("No silences", StringComparison.Ordinal), "the silence lifted");
        Assert.Empty(_controller.Silences.Active(DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task Slash_focuses_the_filter_and_typing_narrows_the_checks()
    {
        Push("disk", 0, "DISK OK");
        Push("load", 0, "LOAD OK");
        _browser.Navigate().GoToUrl(Url("/checks"));
        await UntilAsync(() => _browser.FindElements(By.CssSelector("main tbody tr")).Count == 2, "both checks listed");

        _browser.FindElement(By.TagName("body")).SendKeys("/");
        Assert.Equal("filter", _browser.SwitchTo().ActiveElement().GetAttribute("id"));
        _browser.SwitchTo().ActiveElement().SendKeys("load");

        var visible = _browser.FindElements(By.CssSelector("main tbody tr")).Where(r => r.Displayed).ToArray();
        Assert.Contains("load", Assert.Single(visible).Text);
        // Each view has its own address: the check's page is a link away, and back returns to the list.
        _browser.FindElement(By.LinkText("load")).Click();
        await UntilAsync(() => _browser.Url.EndsWith("/checks/load/web01", StringComparison.Ordinal), "the check's page");
        Assert.Contains("LOAD OK", Main());
        _browser.Navigate().Back();
        await UntilAsync(() => _browser.Url.EndsWith("/checks", StringComparison.Ordinal), "back on the list");
    }

    public async Task DisposeAsync()
    {
        _browser?.Quit();
        _browser?.Dispose();
        await _controller.DisposeAsync();
        await _gearmand.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
