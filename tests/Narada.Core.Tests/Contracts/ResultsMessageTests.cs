using System.Text;
using Narada.Core.Contracts;
using Narada.Core.Formats;
using Narada.Testing;

namespace Narada.Core.Tests.Contracts;

[Trait("Category", "Peers")]
public sealed class ResultsMessageTests
{
    [Fact]
    public void Results_heartbeats_and_passive_results_are_told_apart()
    {
        var result = Envelope.Serialize(new JobResult
        {
            Id = "1",
            Kind = DefinitionKind.Check,
            Name = "n",
            Host = "h",
            Plugin = "p.c",
            Status = CheckStatus.Ok,
        });
        var heartbeat = Envelope.Serialize(new Heartbeat { Host = "web01", Tags = ["linux"], IntervalS = 10 });
        var passive = """{"host":"web01","name":"backup","status":2,"output":"CRITICAL - tape","type":"passive"}"""u8.ToArray();

        Assert.Equal(ResultsMessageType.Result, ResultsMessage.TypeOf(result));
        Assert.Equal(ResultsMessageType.Heartbeat, ResultsMessage.TypeOf(heartbeat));
        Assert.Equal(ResultsMessageType.Passive, ResultsMessage.TypeOf(passive));
        Assert.IsType<JobResult>(ResultsMessage.Parse(result));
        Assert.Equal("web01", Assert.IsType<Heartbeat>(ResultsMessage.Parse(heartbeat)).Host);
        var p = Assert.IsType<PassiveResult>(ResultsMessage.Parse(passive));
        Assert.Equal(CheckStatus.Critical, p.Status);
        Assert.Equal(1, p.V);
    }

    [Theory]
    [InlineData("""{"v":1,"host":"h"}""", "no top-level")]
    [InlineData("""{"nested":{"type":"result"}}""", "no top-level")]
    [InlineData("""{"type":"alert"}""", "'alert'")]
    [InlineData("""{"type":3}""", "no top-level")]
    [InlineData("""["type","result"]""", "not a JSON object")]
    [InlineData("""{"type":""", "")]
    [InlineData("garbage", "")]
    [InlineData("""{"type":"passive","host":"h"}""", "'name'")]
    public void Unrecognisable_messages_give_an_envelope_exception(string json, string mentioned)
    {
        var e = Assert.Throws<EnvelopeException>(() => ResultsMessage.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(mentioned, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_passive_result_written_by_jq_is_read()
    {
        // What a shell user would pipe into `gearman -b -f narada.results`.
        var jq = RequiredTool.Path("jq", "jq");
        var run = await ExternalProcess.RunAsync(jq,
            ["-cn", "--arg", "h", "db01", "{type:\"passive\", host:$h, name:\"backup\", status:1, output:\"WARNING - late|age=90000s\"}"]);
        Assert.Equal(0, run.ExitCode);

        var passive = Assert.IsType<PassiveResult>(ResultsMessage.Parse(Encoding.UTF8.GetBytes(run.Stdout)));
        Assert.Equal("db01", passive.Host);
        Assert.Equal(CheckStatus.Warning, passive.Status);
        var perf = Assert.Single(NagiosOutputParser.Parse((int)passive.Status, passive.Output).PerfData);
        Assert.Equal(90000, perf.Value);
    }
}
