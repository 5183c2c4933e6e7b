using Narada.Controller;
using Narada.Gearman.Transport;

namespace Narada.Bench.Fleet;

/// <summary>A controller with no definitions and no job server, serving HTTP on a free loopback port: what the
/// dashboard and statistics benchmarks fill with state and then ask to render.</summary>
internal static class RenderingController
{
    public static async Task<NaradaController> StartAsync(string work)
    {
        Directory.CreateDirectory(Path.Combine(work, "config"));
        await File.WriteAllTextAsync(Path.Combine(work, "config", "checks.yaml"), "");
        // No job server needed for rendering: the controller's workers retry their connection in the background.
        var controller = new NaradaController(new ControllerOptions
        {
            ConfigDirectory = Path.Combine(work, "config"),
            DataDirectory = Path.Combine(work, "data"),
            Servers = [new ServerAddress("127.0.0.1", 1)],
            HttpListen = "127.0.0.1:0",
            WatchConfig = false,
        });
        await controller.StartAsync();
        return controller;
    }
}
