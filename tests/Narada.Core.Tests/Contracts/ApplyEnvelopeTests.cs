using System.Text;
using System.Text.Json.Nodes;
using Narada.Core.Contracts;

namespace Narada.Core.Tests.Contracts;

[Trait("Category", "Peers")]
public sealed class ApplyEnvelopeTests
{
    private static ApplyRequest Request(string content = "Welcome to web01\n") => new()
    {
        RolloutId = "r-1",
        Path = "/etc/motd",
        Content = content,
        Sha256 = ApplyRequest.HashOf(content),
        Mode = "0644",
        Validate = "nginx -t -c %s",
        DryRun = true,
    };

    [Fact]
    public void The_request_round_trips_and_its_hash_is_checkable_with_sha256sum()
    {
        var request = Request();
        var bytes = Envelope.Serialize(request);
        var json = JsonNode.Parse(bytes)!.AsObject();
        Assert.Equal("r-1", (string)json["rollout_id"]!);
        Assert.True((bool)json["dry_run"]!);
        Assert.Equal(request.Sha256, (string)json["sha256"]!);
        Assert.Null(json["on_change"]);

        var back = Envelope.Parse<ApplyRequest>(bytes);
        Assert.Equal(request, back);
        Assert.True(back.ContentMatchesHash());
        Assert.False((back with { Content = "Welcome to web0" }).ContentMatchesHash());
    }

    [Fact]
    public async Task The_hash_is_what_sha256sum_prints()
    {
        var content = "server { listen 80; }\nüñí\n";
        var run = await Narada.Testing.ExternalProcess.RunAsync("/usr/bin/sha256sum", [], stdin: content);
        Assert.Equal(run.Stdout.Split(' ')[0], ApplyRequest.HashOf(content));
    }

    [Theory]
    [InlineData("path", "etc/motd", "not absolute")]
    [InlineData("sha256", "abc", "sha256")]
    [InlineData("mode", "0999", "mode")]
    [InlineData("mode", "rw-r--r--", "mode")]
    public void Invalid_requests_are_refused(string field, string value, string mentioned)
    {
        var node = JsonNode.Parse(Envelope.Serialize(Request()))!.AsObject();
        node[field] = value;
        var e = Assert.Throws<EnvelopeException>(() => Envelope.Parse<ApplyRequest>(Encoding.UTF8.GetBytes(node.ToJsonString())));
        Assert.Contains(mentioned, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ApplyOutcome.Changed, "changed")]
    [InlineData(ApplyOutcome.Unchanged, "unchanged")]
    [InlineData(ApplyOutcome.Refused, "refused")]
    [InlineData(ApplyOutcome.Failed, "failed")]
    [InlineData(ApplyOutcome.RolledBack, "rolled_back")]
    public void Outcomes_are_written_as_words(ApplyOutcome outcome, string word)
    {
        var result = new ApplyResult
        {
            RolloutId = "r-1",
            Host = "web01",
            Path = "/etc/motd",
            Outcome = outcome,
            Diff = "--- a\n+++ b\n",
            ValidateOutput = "ok",
            DurationMs = 3,
        };
        var bytes = Envelope.Serialize(result);
        Assert.Equal(word, (string)JsonNode.Parse(bytes)!["outcome"]!);
        Assert.Equal(result, Envelope.Parse<ApplyResult>(bytes));
    }

    [Fact]
    public void An_unknown_outcome_is_refused()
    {
        Assert.Throws<EnvelopeException>(() => Envelope.Parse<ApplyResult>(
            """{"v":1,"rollout_id":"r","host":"h","path":"/x","outcome":"exploded"}"""u8));
    }
}
