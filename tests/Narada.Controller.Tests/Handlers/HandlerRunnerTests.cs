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
        DateTimeOffset.UtcNow)
    { Tags = ["linux"] };

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
    public async Task A_handler_still_running_when_the_runner_stops_is_killed_and_waited_for()
    {
        var dir = Directory.CreateTempSubdirectory("narada-handler-").FullName;
        try
        {
            var pidFile = Path.Combine(dir, "pid");
            var runner = Runner();
            runner.Fire([Exec(TimeSpan.FromMinutes(5), "/bin/sh", "-c", "echo $$ > \"$1\"; exec /bin/sleep 300", "handler", pidFile)],
                Problem, hard: true, occurrence: 1);
            await Retry.UntilAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).EndsWith('\n'), "the handler started");
            var handler = System.Diagnostics.Process.GetProcessById(int.Parse(File.ReadAllText(pidFile).Trim()));
            Assert.Equal(1, runner.Running);

            await runner.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)); // not the handler's 5 minutes

            Assert.Equal(0, runner.Running);
            Assert.True(handler.HasExited);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static HandlerDefinition Exec(TimeSpan timeout, params string[] argv) =>
        new("exec", HandlerFilter.Default, new DefinitionSource("test.yaml", 1, 1)) { Exec = argv, Timeout = timeout };

    [Fact]
    public async Task An_exec_handler_gets_the_event_on_stdin_and_as_variables_but_not_the_controllers_environment()
    {
        var dir = Directory.CreateTempSubdirectory("narada-handler-").FullName;
        var stdin = Path.Combine(dir, "stdin.json");
        var env = Path.Combine(dir, "env");
        // what a secret in the controller's own environment would be
        var secret = $"NARADA_TEST_SECRET_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(secret, "leaked");
        try
        {
            var outcome = await Runner().RunAsync(Exec(TimeSpan.FromSeconds(10), "/bin/sh", "-c", "cat > \"$1\"; env > \"$2\"; echo done",
                "handler", stdin, env), Problem, CancellationToken.None);
            Assert.True(outcome.Succeeded, outcome.Detail);
            Assert.Equal("done", outcome.Detail);
        }
        finally
        {
            Environment.SetEnvironmentVariable(secret, null);
        }
        var body = JsonDocument.Parse(File.ReadAllText(stdin)).RootElement;
        Assert.Equal("problem", body.GetProperty("event").GetString());
        Assert.Equal("disk", body.GetProperty("check").GetString());
        var variables = File.ReadAllLines(env);
        Assert.Contains("NARADA_HOST=web01", variables);
        Assert.Contains("NARADA_STATE=CRITICAL", variables);
        Assert.Contains("NARADA_EVENT=problem", variables);
        Assert.DoesNotContain(variables, line => line.StartsWith(secret, StringComparison.Ordinal));
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>A handler that leaves a child behind holding its stdout ends when it exits, not when the child does.</summary>
    [Fact]
    public async Task An_exec_handler_ends_when_it_exits_even_if_a_child_it_left_behind_holds_its_output()
    {
        var started = DateTime.UtcNow;
        var outcome = await Runner().RunAsync(Exec(TimeSpan.FromSeconds(60), "/bin/sh", "-c", "sleep 60 & echo sent"), Problem,
            CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Detail);
        Assert.Equal("sent", outcome.Detail);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20), "the handler's run waited for its background child");
    }

    [Fact]
    public async Task An_exec_handler_that_floods_its_output_is_kept_to_a_bounded_detail()
    {
        var outcome = await Runner().RunAsync(Exec(TimeSpan.FromSeconds(30), "/bin/sh", "-c", "head -c 20000000 /dev/zero | tr '\\0' x; exit 3"),
            Problem, CancellationToken.None);
        Assert.False(outcome.Succeeded);
        Assert.StartsWith("exit code 3: xxx", outcome.Detail);
        Assert.InRange(outcome.Detail.Length, 1000, 64 * 1024);
    }

    [Fact]
    public async Task An_exec_handler_whose_program_is_missing_fails_with_the_reason()
    {
        var outcome = await Runner().RunAsync(Exec(TimeSpan.FromSeconds(5), "/nonexistent/notify"), Problem, CancellationToken.None);
        Assert.False(outcome.Succeeded);
        Assert.Contains("/nonexistent/notify: no such file", outcome.Detail);
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
