using Narada.Controller.Scheduling;
using Narada.Core.Contracts;

namespace Narada.Controller.Tests.Scheduling;

public sealed class DefinitionKeyTests
{
    [Theory]
    [InlineData("check/disk-root", DefinitionKind.Check, "disk-root")]
    [InlineData("collect/node", DefinitionKind.Collector, "node")]
    [InlineData("apply/motd", DefinitionKind.Apply, "motd")]
    public void A_key_reads_back_what_it_writes(string text, DefinitionKind kind, string name)
    {
        var key = DefinitionKey.Parse(text);
        Assert.Equal(new DefinitionKey(kind, name), key);
        Assert.Equal(text, key.ToString());
    }

    [Theory]
    [InlineData("handler/log")]   // used to fall through to apply
    [InlineData("facts/x")]
    [InlineData("check/")]
    [InlineData("/name")]
    [InlineData("nothing")]
    public void An_unknown_kind_or_a_broken_key_is_an_error(string text) =>
        Assert.Throws<FormatException>(() => DefinitionKey.Parse(text));
}
