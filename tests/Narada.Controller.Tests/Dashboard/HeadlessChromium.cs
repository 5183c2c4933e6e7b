using Narada.Testing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Narada.Controller.Tests.Dashboard;

/// <summary>Debian's chromium driven by Debian's chromedriver, headless, for the dashboard's browser tests.</summary>
internal static class HeadlessChromium
{
    public static ChromeDriver Start()
    {
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(RequiredTool.Path("chromedriver", "chromium-driver"))!, "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = RequiredTool.Path("chromium", "chromium") };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,900");
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    /// <summary>A PNG of the page as the browser drew it, beside the test assembly (screenshots/), for people to look at.</summary>
    public static void Screenshot(this IWebDriver browser, string name)
    {
        var dir = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        ((ITakesScreenshot)browser).GetScreenshot().SaveAsFile(Path.Combine(dir, name + ".png"));
    }
}
