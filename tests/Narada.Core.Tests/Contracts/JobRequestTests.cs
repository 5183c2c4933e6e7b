using System.Text;
using System.Text.Json.Nodes;
using Narada.Core.Contracts;

namespace Narada.Core.Tests.Contracts;

public sealed class JobRequestTests
{
    private static readonly JobRequest Full = new()
    {
        Id = "run-42",
        Kind = DefinitionKind.Check,
        Name = "disk-root",
        Plugin = "nagios.check_disk",
        Params = new Dictionary<string, string> { ["warning"] = "20%", ["Path"] = "/" },
        TimeoutMs = 10_000,
        ReplyTo = "narada.results",
        ScheduledAt = new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public void Round_trips_with_snake_case_names_and_version_1()
    {
        var bytes = Envelope.Serialize(Full);
        var json = JsonNode.Parse(bytes)!.AsObject();

        Assert.Equal(1, (int)json["v"]!);
        Assert.Equal("check", (string)json["kind"]!);
        Assert.Equal(10_000, (int)json["timeout_ms"]!);
        Assert.Equal("narada.results", (string)json["reply_to"]!);
        Assert.Equal("/", (string)json["params"]!["Path"]!);
        Assert.NotNull(json["scheduled_at"]);

        var back = Envelope.Parse<JobRequest>(bytes);
        Assert.Equal(Full with { Params = back.Params }, back);
        Assert.Equal(Full.Params, back.Params);
    }

    [Fact]
    public void A_hand_written_request_with_unknown_fields_reads()
    {
        var request = Parse("""{"v":1,"id":"a","kind":"collect","name":"node","plugin":"system.node","future_field":{"x":[1,2]}}""");
        Assert.Equal(DefinitionKind.Collector, request.Kind);
        Assert.Empty(request.Params);
        Assert.Null(request.TimeoutMs);
        Assert.Null(request.ReplyTo);
    }

    [Theory]
    [InlineData("""{"id":"a","kind":"check","name":"n","plugin":"p.c"}""", "v")]
    [InlineData("""{"v":1,"kind":"check","name":"n","plugin":"p.c"}""", "id")]
    [InlineData("""{"v":1,"id":"a","name":"n","plugin":"p.c"}""", "kind")]
    [InlineData("""{"v":1,"id":"a","kind":"check","plugin":"p.c"}""", "name")]
    [InlineData("""{"v":1,"id":"a","kind":"check","name":"n"}""", "plugin")]
    public void A_missing_required_field_is_named(string json, string field)
    {
        var e = Assert.Throws<EnvelopeException>(() => Parse(json));
        Assert.Contains($"'{field}'", e.Message, StringComparison.Ordinal);
        Assert.Equal(nameof(JobRequest), e.Envelope);
    }

    [Theory]
    [InlineData("""{"v":2,"id":"a","kind":"check","name":"n","plugin":"p.c"}""", "version 2")]
    [InlineData("""{"v":1,"id":"a","kind":"reboot","name":"n","plugin":"p.c"}""", "kind")]
    [InlineData("""{"v":1,"id":"a","kind":7,"name":"n","plugin":"p.c"}""", "kind")]
    [InlineData("""{"v":1,"id":"a","kind":"apply","name":"n","plugin":"p.c"}""", "neither check nor collect")]
    [InlineData("""{"v":1,"id":"a","kind":"handler","name":"n","plugin":"p.c"}""", "neither check nor collect")]
    [InlineData("""{"v":1,"id":null,"kind":"check","name":"n","plugin":"p.c"}""", "id")]
    [InlineData("""{"v":1,"id":"a","kind":"check","name":"n","plugin":"nodot"}""", "plugin")]
    [InlineData("""{"v":1,"id":"a","kind":"check","name":"n","plugin":"p.c","timeout_ms":-5}""", "timeout_ms")]
    [InlineData("""{"v":1,"id":"a","kind":"check","name":"n","plugin":"p.c","params":{"a":1}}""", "params")]
    [InlineData("""{"v":"1","id":"a","kind":"check","name":"n","plugin":"p.c"}""", "v")]
    [InlineData("""{"v":1,"id":"a","kind":"check","name":"n","plugin":"p.c","params":{"a":null}}""", "params")]
    [InlineData("""{"v":1,"id":"a",""", "")]
    [InlineData("null", "null")]
    [InlineData("[]", "")]
    [InlineData("", "")]
    public void Bad_values_and_bad_json_give_an_envelope_exception(string json, string mentioned)
    {
        var e = Assert.Throws<EnvelopeException>(() => Parse(json));
        Assert.Contains(mentioned, e.Message, StringComparison.Ordinal);
    }

    private static JobRequest Parse(string json) => Envelope.Parse<JobRequest>(Encoding.UTF8.GetBytes(json));
}
