using System.Text;
using System.Text.Json.Nodes;
using Narada.Core.Contracts;
using Narada.Core.Formats;

namespace Narada.Core.Tests.Contracts;

public sealed class JobResultTests
{
    private static readonly JobRequest Request = new()
    {
        Id = "run-7",
        Kind = DefinitionKind.Check,
        Name = "http",
        Plugin = "nagios.check_http",
    };

    [Fact]
    public void A_parsed_nagios_output_round_trips_through_the_envelope()
    {
        var parsed = PluginOutput.Parse(OutputFormat.Nagios, 1,
            "HTTP WARNING - slow|time=1.5s;1;2;0; size=2KB;;;0 'odd one'=U junk\nbody line\n", "", "http");
        var result = JobResult.For(Request, "web01", parsed) with
        {
            ExitCode = 1,
            StartedAt = new DateTimeOffset(2026, 11, 28, 9, 30, 0, TimeSpan.Zero),
            DurationMs = 12,
        };

        var bytes = Envelope.Serialize(result);
        var json = JsonNode.Parse(bytes)!.AsObject();
        Assert.Equal("result", (string)json["type"]!);
        Assert.Equal(1, (int)json["status"]!);
        Assert.Equal("body line", (string)json["long_output"]!);
        Assert.Equal(1, (int)json["exit_code"]!);
        Assert.Equal("1", (string)json["perfdata"]![0]!["warn"]!);
        Assert.Equal("s", (string)json["perfdata"]![0]!["uom"]!);
        Assert.Null(json["perfdata"]![2]!["value"]);
        Assert.Equal("http_size_bytes", (string)json["samples"]![1]!["name"]!);
        Assert.Equal(2048, (double)json["samples"]![1]!["value"]!);

        var back = Envelope.Parse<JobResult>(bytes);
        Assert.Equal(CheckStatus.Warning, back.Status);
        Assert.Equal("HTTP WARNING - slow", back.Output);
        Assert.Equal(parsed.PerfData, back.Perfdata.Select(p => p.ToPerfDatum()));
        Assert.Equal(parsed.Samples.Select(s => (s.Name, s.Value, s.Type)), back.Samples.Select(s => s.ToSample()).Select(s => (s.Name, s.Value, s.Type)));
        Assert.Equal(parsed.Notes, back.Notes);
        Assert.Equal(result.StartedAt, back.StartedAt);
        Assert.Contains(back.Notes, n => n.Contains("junk", StringComparison.Ordinal));
    }

    [Fact]
    public void NaN_and_infinite_sample_values_survive()
    {
        var result = JobResult.For(Request with { Kind = DefinitionKind.Collector }, "h",
            PluginOutput.Parse(OutputFormat.Prometheus, 0, "a NaN\nb +Inf\nc -Inf\n", ""));
        Assert.Equal(3, result.Samples.Count);
        var back = Envelope.Parse<JobResult>(Envelope.Serialize(result));
        Assert.True(double.IsNaN(back.Samples[0].Value));
        Assert.Equal(double.PositiveInfinity, back.Samples[1].Value);
        Assert.Equal(double.NegativeInfinity, back.Samples[2].Value);
    }

    [Theory]
    [InlineData("""{"v":1,"type":"result","id":"a","kind":"check","name":"n","host":"h","plugin":"p.c","status":4}""", "status 4")]
    [InlineData("""{"v":1,"type":"heartbeat","id":"a","kind":"check","name":"n","host":"h","plugin":"p.c","status":0}""", "type")]
    [InlineData("""{"v":1,"type":"result","id":"a","kind":"check","name":"n","plugin":"p.c","status":0}""", "'host'")]
    [InlineData("""{"v":1,"type":"result","id":"a","kind":"check","name":"n","host":"h","plugin":"p.c"}""", "'status'")]
    [InlineData("""{"v":1,"type":"result","id":"a","kind":"check","name":"n","host":"h","plugin":"p.c","status":0,"perfdata":[null]}""", "perfdata")]
    [InlineData("""{"v":1,"type":"result","id":"a","kind":"check","name":"n","host":"h","plugin":"p.c","status":0,"perfdata":[{"value":1}]}""", "'label'")]
    [InlineData("""{"v":1,"type":"result","id":"a","kind":"check","name":"n","host":"h","plugin":"p.c","status":0,"samples":[{"name":"x","value":1,"labels":{"a":null}}]}""", "label value")]
    public void Invalid_results_are_refused_with_the_reason(string json, string mentioned)
    {
        var e = Assert.Throws<EnvelopeException>(() => Envelope.Parse<JobResult>(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(mentioned, e.Message, StringComparison.Ordinal);
    }
}
