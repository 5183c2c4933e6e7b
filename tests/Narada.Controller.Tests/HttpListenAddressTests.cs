using System.Net;
using Narada.Controller;

namespace Narada.Controller.Tests;

public class HttpListenAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:9640", "127.0.0.1:9640")]
    [InlineData("0.0.0.0:9640", "0.0.0.0:9640")]
    [InlineData("[::1]:0", "[::1]:0")]
    [InlineData("localhost:8080", "127.0.0.1:8080")]
    public void An_ip_and_a_port_are_what_it_listens_on(string text, string endpoint) =>
        Assert.Equal(IPEndPoint.Parse(endpoint), HttpListenAddress.Parse(text));

    [Theory]
    [InlineData("web01:9640")]    // Kestrel would listen on every interface
    [InlineData("10.0.0.1")]      // no port
    [InlineData("::1:9640")]      // IPv6 without brackets
    [InlineData("127.0.0.1:65536")]
    [InlineData("127.0.0.1:-1")]
    [InlineData(":9640")]
    [InlineData("")]
    public void Anything_else_is_refused_with_the_expected_form(string text)
    {
        var error = Assert.Throws<FormatException>(() => HttpListenAddress.Parse(text));
        Assert.Contains("is not IP:port", error.Message);
    }
}
