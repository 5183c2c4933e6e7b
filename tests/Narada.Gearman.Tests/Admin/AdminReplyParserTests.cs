using Narada.Gearman.Admin;
using Narada.Gearman.Client;

namespace Narada.Gearman.Tests.Admin;

public sealed class AdminReplyParserTests
{
    [Fact]
    public void Worker_lines_with_and_without_functions_parse()
    {
        var wc = AdminReplyParser.Worker("37 127.0.0.1 - : wc");
        Assert.Equal((37, "127.0.0.1", "-"), (wc.Fd, wc.Address, wc.ClientId));
        Assert.Equal(["wc"], wc.Functions);
        var worker = AdminReplyParser.Worker("12 ::1 agent-web01 : narada.check@web01 narada.facts@web01");
        Assert.Equal("::1", worker.Address);
        Assert.Equal("agent-web01", worker.ClientId);
        Assert.Equal(["narada.check@web01", "narada.facts@web01"], worker.Functions);
        Assert.Empty(AdminReplyParser.Worker("38 127.0.0.1 - :").Functions);
    }

    [Theory]
    [InlineData("reverse\t1\t0")]
    [InlineData("reverse\t1\tx\t0")]
    [InlineData("\t1\t0\t0")]
    [InlineData("reverse\t-1\t0\t0")]
    public void Malformed_status_lines_name_the_line(string line)
    {
        var error = Assert.Throws<GearmanAdminReplyException>(() => AdminReplyParser.Status(line));
        Assert.Equal(line, error.Line);
        Assert.Contains(line, error.Message);
    }

    [Theory]
    [InlineData("not a worker line")]
    [InlineData("x 127.0.0.1 - : f")]
    [InlineData("12")]
    public void Malformed_worker_lines_name_the_line(string line) =>
        Assert.Equal(line, Assert.Throws<GearmanAdminReplyException>(() => AdminReplyParser.Worker(line)).Line);

    [Fact]
    public void Err_lines_decode_code_and_message()
    {
        var error = Assert.Throws<GearmanServerException>(() =>
            AdminReplyParser.Ok("maxqueue", ["ERR INVALID_ARGUMENTS An+incomplete+set+of+arguments"]));
        Assert.Equal("INVALID_ARGUMENTS", error.Code);
        Assert.Equal("An incomplete set of arguments", error.ServerMessage);
    }

    [Fact]
    public void A_one_line_reply_that_is_neither_ok_nor_err_is_malformed() =>
        Assert.Throws<GearmanAdminReplyException>(() => AdminReplyParser.Ok("version", ["1.1.20"]));
}
