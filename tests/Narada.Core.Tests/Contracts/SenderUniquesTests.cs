using System.Text;

using Narada.Core.Contracts;

namespace Narada.Core.Tests.Contracts;

/// <summary>The uniques an agent signs its narada.results submissions with always fit the 63 bytes gearmand keeps.</summary>
public sealed class SenderUniquesTests
{
    [Theory]
    [InlineData("web01", 24)]
    [InlineData("ip-10-0-12-34.eu-west-1.compute.internal", 22)] // an AWS host name: 40 bytes
    [InlineData("a-host-name-that-is-fifty-three-bytes-long.example.org", 8)]
    public void A_reply_unique_names_the_host_and_fits_gearmans_limit(string name, int random)
    {
        var uniques = new SenderUniques(name);
        var first = uniques.NextReply()!;
        var second = uniques.NextReply()!;

        Assert.True(uniques.CanSign);
        Assert.EndsWith("@" + name, first, StringComparison.Ordinal);
        Assert.InRange(Encoding.UTF8.GetByteCount(first), 1, 63); // gearmand keeps 63 bytes
        Assert.Matches($"^[0-9a-f]{{{random}}}@", first);
        Assert.NotEqual(first, second);
        Assert.Equal("hb@" + name, uniques.Heartbeat);
    }

    [Fact]
    public void A_name_too_long_to_leave_room_goes_unsigned_rather_than_failing_every_submit()
    {
        var nearly = new SenderUniques(new string('n', 57)); // 7 bytes left before the '@': too few to be random enough
        Assert.False(nearly.CanSign);
        Assert.Null(nearly.NextReply());
        Assert.Equal("hb@" + new string('n', 57), nearly.Heartbeat);

        var full = new SenderUniques(new string('n', 63));
        Assert.Null(full.Heartbeat);
    }
}
