using System.Text;
using System.Text.Json;
using Narada.Core.Contracts;

namespace Narada.Core.Tests.Contracts;

/// <summary>The closed vocabularies of the protocol: each is one table, and a value outside it is an error.</summary>
public sealed class VocabularyTests
{
    [Fact]
    public void Every_kind_has_one_row_and_the_rows_follow_the_enum()
    {
        Assert.Equal(Enum.GetValues<DefinitionKind>(), DefinitionKinds.All.Select(k => k.Kind));
        Assert.Equal(["Check", "Collector", "Apply", "Handler", "Host", "Group", "Downtime"], DefinitionKinds.YamlNames);
        Assert.Equal(["check", "collect", "apply"], DefinitionKinds.All.Where(k => k.RunsOnAgents).Select(k => k.Verb));
    }

    [Fact]
    public void A_value_outside_the_tables_is_an_error_not_a_default()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DefinitionKinds.Of((DefinitionKind)42));
        Assert.Throws<ArgumentOutOfRangeException>(() => DefinitionKind.Handler.Verb());
        Assert.Throws<ArgumentOutOfRangeException>(() => FunctionNames.ForPool(DefinitionKind.Apply, "web"));
        Assert.Throws<ArgumentOutOfRangeException>(() => ((ApplyOutcome)9).Name());
        Assert.Throws<FormatException>(() => ApplyOutcomes.Parse("rolledback"));
        Assert.False(DefinitionKinds.TryParseVerb("facts", out _));
        Assert.False(DefinitionKinds.TryParseYaml("check", out _)); // YAML kinds are written as in the docs: Check
    }

    [Fact]
    public void Function_names_and_uniques_are_spelled_as_the_design_says()
    {
        Assert.Equal("narada.check@web01", FunctionNames.ForHost(DefinitionKind.Check, "web01"));
        Assert.Equal("narada.collect@tag:db", FunctionNames.ForPool(DefinitionKind.Collector, "db"));
        Assert.Equal("narada.apply@web01", FunctionNames.ForHost(DefinitionKind.Apply, "web01"));
        Assert.Equal("narada.facts@web01", FunctionNames.Facts("web01"));
        Assert.Equal("check/disk-root@web01", FunctionNames.Unique(DefinitionKind.Check, "disk-root", "web01"));
        var long_ = FunctionNames.Unique(DefinitionKind.Collector, new string('n', 60), "web01.example.com");
        Assert.True(Encoding.UTF8.GetByteCount(long_) <= 63, long_);
        Assert.StartsWith("collect/nnn", long_, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ApplyOutcome.Changed, "changed", false)]
    [InlineData(ApplyOutcome.Unchanged, "unchanged", false)]
    [InlineData(ApplyOutcome.Refused, "refused", true)]
    [InlineData(ApplyOutcome.Failed, "failed", true)]
    [InlineData(ApplyOutcome.RolledBack, "rolled_back", true)]
    [InlineData(ApplyOutcome.Skipped, "skipped", false)]
    public void An_apply_outcome_has_one_name_on_the_wire_and_in_history(ApplyOutcome outcome, string name, bool failure)
    {
        Assert.Equal(name, outcome.Name());
        Assert.Equal(outcome, ApplyOutcomes.Parse(name));
        Assert.Equal($"\"{name}\"", JsonSerializer.Serialize(outcome));
        Assert.Equal(failure, outcome.IsFailure());
    }

    [Fact]
    public void An_agent_cannot_answer_skipped()
    {
        var json = """{"v":1,"type":"apply","rollout_id":"r","host":"h","path":"/etc/x","outcome":"skipped"}""";
        var e = Assert.Throws<EnvelopeException>(() => Envelope.Parse<ApplyResult>(Encoding.UTF8.GetBytes(json)));
        Assert.Contains("only rollouts skip hosts", e.Message, StringComparison.Ordinal);
    }
}
