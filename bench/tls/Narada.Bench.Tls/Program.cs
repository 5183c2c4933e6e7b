using System.Diagnostics;
using System.Globalization;
using System.Net;
using Narada.Bench.Tls;
using Narada.Gearman.Client;
using Narada.Gearman.Tls;
using Narada.Gearman.Transport;
using Narada.Gearman.Worker;
using Narada.JobServer;
using Narada.JobServer.Security;

// Jobs/s through Narada's job server in plain TCP, TLS with client certificates, and TLS + ACL, in the same run:
// one client keeps `inFlight` foreground jobs outstanding, one worker (concurrency `inFlight`) answers them.
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var inFlight = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
using var pki = BenchPki.Create();
Console.WriteLine($"{seconds}s per case, {inFlight} jobs in flight, payload 64 bytes, {Environment.ProcessorCount} CPUs");
var cases = new (string Name, bool Tls, bool Acl)[] { ("plain", false, false), ("tls", true, false), ("tls+acl", true, true) };
// Rounds alternate the cases so JIT warm-up and the neighbours' load do not favour whichever runs last.
for (int round = 1; round <= 3; round++)
    foreach (var (name, tls, acl) in cases)
        Console.WriteLine($"round {round} {name,-8} {await MeasureAsync(tls, acl),10:N0} jobs/s");
return 0;

async Task<double> MeasureAsync(bool tls, bool acl)
{
    var options = new JobServerOptions { Port = 0, ListenAddresses = [IPAddress.Loopback] };
    if (tls)
        options = options with { Tls = pki.ServerOptions };
    if (acl)
        options = options with { Acl = AclPolicyReader.Parse("rules: [ { identity: \"*\", register: [\"bench.*@{cn}\"], submit: [\"bench.*\"] } ]") };
    await using var server = new JobServer(options);
    await server.StartAsync();
    var address = new ServerAddress("127.0.0.1", server.Endpoint.Port);
    await using var worker = new GearmanWorker(new GearmanWorkerOptions
    {
        Servers = [address], Concurrency = inFlight, Tls = tls ? pki.ClientTls("bench-worker") : null,
    });
    worker.Register("bench.echo@bench-worker", (job, _) => ValueTask.FromResult(job.Payload));
    using var stop = new CancellationTokenSource();
    var running = worker.RunAsync(stop.Token);
    await worker.Registered;
    await using var client = new GearmanClient(new GearmanClientOptions { Servers = [address], Tls = tls ? pki.ClientTls("bench-client") : null });
    var payload = new byte[64];
    await client.SubmitAsync("bench.echo@bench-worker", payload); // warm up the connection
    long done = 0;
    var clock = Stopwatch.StartNew();
    var until = TimeSpan.FromSeconds(seconds);
    await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
    {
        while (clock.Elapsed < until)
        {
            await client.SubmitAsync("bench.echo@bench-worker", payload);
            Interlocked.Increment(ref done);
        }
    }));
    double rate = done / clock.Elapsed.TotalSeconds;
    await stop.CancelAsync();
    await running;
    return rate;
}
