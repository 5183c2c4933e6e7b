using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Narada.Controller.Handlers;
using Narada.Controller.Metrics;
using Narada.Core.Definitions;
using Narada.Testing;

namespace Narada.Controller.Tests.Handlers;

public sealed class HandlerRunnerTests : IDisposable
{
    private static readonly HandlerEvent Problem = new("problem", "disk", "web01", "CRITICAL", "OK", "hard", 3, "disk full",
        DateTimeOffset.UtcNow) { Tags = ["linux"] };

    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<string> _bodies = new();
    private readonly Uri _url;
    private int _failFirst;
    private TimeSpan _delay;

    public HandlerRunnerTests()
    {
        int port = FreePort.Next();
        _url = new Uri($"http://127.0.0.1:{port}/hook/");
        _listener.Prefixes.Add(_url.ToString());
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream);
            _bodies.Enqueue(await reader.ReadToEndAsync());
            if (_delay > TimeSpan.Zero)
                await Task.Delay(_delay);
            context.Response.StatusCode = Interlocked.Decrement(ref _failFirst) >= 0 ? 503 : 204;
            context.Response.Close();
        }
    }

    private HandlerDefinition Webhook(TimeSpan timeout, int retries) =>
        new("hook", HandlerFilter.Default, new DefinitionSource("test.yaml", 1, 1))
        {
            Webhook = new WebhookTarget(_url, timeout, retries, new Dictionary<string, string> { ["X-Narada"] = "yes" }),
        };

    private static HandlerRunner Runner() => new(new ControllerMetrics(), NullLogger.Instance);

    [Fact]
    public async Task A_webhook_gets_the_event_as_json_and_is_retried_after_a_server_error()
    {
        _failFirst = 1;
        var outcome = await Runner().RunAsync(Webhook(TimeSpan.FromSeconds(5), retries: 2), Problem, CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Detail);
        Assert.Equal(2, _bodies.Count);
        var body = JsonDocument.Parse(_bodies.Last()).RootElement;
        Assert.Equal("problem", body.GetProperty("event").GetString());
        Assert.Equal("CRITICAL", body.GetProperty("state").GetString());
        Assert.Equal("web01", body.GetProperty("host").GetString());
    }

    [Fact]
    public async Task A_webhook_that_hangs_fails_at_its_timeout()
    {
        _delay = TimeSpan.FromSeconds(5);
        var outcome = await Runner().RunAsync(Webhook(TimeSpan.FromMilliseconds(300), retries: 0), Problem, CancellationToken.None);
        Assert.False(outcome.Succeeded);
        Assert.Contains("timed out", outcome.Detail);
    }

    [Fact]
    public async Task An_exec_handler_that_hangs_is_killed_at_its_timeout()
    {
        var handler = new HandlerDefinition("slow", HandlerFilter.Default, new DefinitionSource("test.yaml", 1, 1))
        {
            Exec = ["/bin/sleep", "30"],
            Timeout = TimeSpan.FromMilliseconds(300),
        };
        var started = DateTime.UtcNow;
        var outcome = await Runner().RunAsync(handler, Problem, CancellationToken.None);
        Assert.False(outcome.Succeeded);
        Assert.Contains("killed", outcome.Detail);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Silences_cover_matching_checks_hosts_and_tags_until_they_expire()
    {
        var book = new SilenceBook();
        var now = DateTimeOffset.UtcNow;
        book.Add(check: null, host: null, tag: "db", until: now.AddMinutes(10), reason: "maintenance");
        book.Add(check: "disk", host: "web01", tag: null, until: now.AddMinutes(-1), reason: "expired");
        Assert.True(book.IsSilenced("load", "db01", ["db", "linux"], now));
        Assert.False(book.IsSilenced("disk", "web01", ["linux"], now));
        Assert.Single(book.Active(now));
    }

    public void Dispose() => _listener.Close();
}
