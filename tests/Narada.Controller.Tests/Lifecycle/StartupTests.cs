using System.Net;
using System.Net.Sockets;
using Narada.Gearman.Admin;
using Narada.Gearman.Transport;
using Narada.Testing;

namespace Narada.Controller.Tests.Lifecycle;

[Trait("Category", "Peers")]
public class StartupTests
{
    [Fact]
    public async Task A_part_that_fails_to_start_stops_the_ones_started_before_it()
    {
        await using var gearmand = await GearmandServer.StartAsync();
        var server = new ServerAddress(gearmand.Host, gearmand.Port);
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var busy = ((IPEndPoint)taken.LocalEndpoint).Port;
        var dir = Directory.CreateTempSubdirectory("narada-start-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "config"));
            await using var controller = new NaradaController(new ControllerOptions
            {
                ConfigDirectory = Path.Combine(dir, "config"),
                DataDirectory = Path.Combine(dir, "data"),
                Servers = [server],
                HttpListen = $"127.0.0.1:{busy}", // HTTP starts last, after the results worker has registered
            });

            await Assert.ThrowsAnyAsync<IOException>(() => controller.StartAsync());

            // The results worker started before HTTP failed; it must be gone, not left serving narada.results.
            await using var admin = await GearmanAdminClient.ConnectAsync(server);
            var workers = await admin.GetWorkersAsync();
            Assert.DoesNotContain(workers, w => w.Functions.Contains("narada.results"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
