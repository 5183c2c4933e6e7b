using Narada.Gearman.Transport;

namespace Narada.Gearman.Tests.Transport;

public class ServerAddressTests
{
    [Theory]
    [InlineData("localhost", "localhost", 4730)]
    [InlineData("10.0.0.1:4731", "10.0.0.1", 4731)]
    [InlineData(" gm.example:1 ", "gm.example", 1)]
    [InlineData("[::1]:4000", "::1", 4000)]
    [InlineData("[::1]", "::1", 4730)]
    [InlineData("::1", "::1", 4730)]
    public void Parses_the_forms_gearman_tools_accept(string text, string host, int port) =>
        Assert.Equal(new ServerAddress(host, port), ServerAddress.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData("host:abc")]
    [InlineData(":4730")]
    [InlineData("[::1")]
    public void Rejects_malformed_addresses_with_a_format_error(string text) =>
        Assert.Throws<FormatException>(() => ServerAddress.Parse(text));

    [Fact]
    public void A_list_keeps_its_order()
    {
        var list = ServerAddress.ParseList("a:1, b ,c:3");
        Assert.Equal([new("a", 1), new("b", 4730), new("c", 3)], list);
        Assert.Equal("a:1", list[0].ToString());
    }
}
