using CsCheck;
using Narada.Gearman.Admin;
using Narada.JobServer.Security;

namespace Narada.JobServer.Tests.Security;

public sealed class AclPolicyTests
{
    private const string FleetAcl = """
        rules:
          - identity: controller
            submit: ["narada.*"]
            register: [narada.results]
            admin: [read, write]
          - identity: "*"
            register: ["narada.*@{cn}"]
            submit: [narada.results]
            admin: [read]
          - identity: anonymous
            admin: [status]
        """;

    private static readonly PeerIdentity Web01 = PeerIdentity.Named("web01", "web01");
    private static readonly PeerIdentity Web02 = PeerIdentity.Named("web02", "web02");
    private static readonly PeerIdentity Controller = PeerIdentity.Named("controller");

    private readonly AclPolicy _policy = AclPolicyReader.Parse(FleetAcl);

    [Fact]
    public void An_agent_may_register_only_its_own_host_functions()
    {
        Assert.True(_policy.Allows(Web01, AclAction.Register, "narada.check@web01"));
        Assert.True(_policy.Allows(Web01, AclAction.Register, "narada.apply@web01"));
        Assert.False(_policy.Allows(Web02, AclAction.Register, "narada.check@web01"));
        Assert.False(_policy.Allows(Web01, AclAction.Register, "narada.apply@db01"));
        Assert.False(_policy.Allows(Web01, AclAction.Register, "narada.results"));
    }

    [Fact]
    public void Only_the_controller_may_submit_to_apply_functions()
    {
        Assert.True(_policy.Allows(Controller, AclAction.Submit, "narada.apply@web01"));
        Assert.False(_policy.Allows(Web01, AclAction.Submit, "narada.apply@web01"));
        Assert.False(_policy.Allows(Web01, AclAction.Submit, "narada.apply@web02"));
        Assert.True(_policy.Allows(Web01, AclAction.Submit, "narada.results"));
    }

    [Fact]
    public void A_unique_limit_makes_a_certificate_sign_its_submissions()
    {
        var policy = AclPolicyReader.Parse("""
            rules:
              - identity: controller
                submit: ["narada.*"]
              - identity: "*"
                submit: [narada.results]
                unique: ["*@{cn}"]
            """);
        Assert.True(policy.LimitsUniques);
        Assert.True(policy.Allows(Web01, AclAction.Submit, "narada.results", "heartbeat@web01"));
        Assert.False(policy.Allows(Web01, AclAction.Submit, "narada.results", "heartbeat@web02"));
        Assert.False(policy.Allows(Web01, AclAction.Submit, "narada.results", ""));
        Assert.False(policy.Allows(Web01, AclAction.Submit, "narada.check@web01", "x@web01")); // the function still counts
        Assert.True(policy.Allows(Controller, AclAction.Submit, "narada.check@web01", "")); // a rule without a limit: any unique
        Assert.False(_policy.LimitsUniques);
    }

    [Theory]
    [InlineData("shutdown")]          // gearmand removed it; it was on the hand-kept write list
    [InlineData("bogus thing")]       // used to count as read-only, so "read" granted it
    [InlineData("show everything")]
    public void A_command_outside_the_table_is_granted_by_neither_read_nor_write(string line)
    {
        Assert.False(_policy.Allows(Controller, AclAction.Admin, AdminCommands.NameOf(line)));
        Assert.False(_policy.Allows(Web01, AclAction.Admin, AdminCommands.NameOf(line)));
        var everything = AclPolicyReader.Parse("rules: [ { identity: controller, admin: [\"*\"] } ]");
        Assert.True(everything.Allows(Controller, AclAction.Admin, AdminCommands.NameOf(line)));
    }

    [Fact]
    public void Every_command_of_the_table_is_read_or_write_and_the_client_knows_its_reply()
    {
        foreach (var command in AdminCommands.All)
        {
            Assert.Equal(command, AdminCommands.Find(command.Name.ToUpperInvariant() + " x")!.Value.Command);
            Assert.Equal(command.Access == AdminAccess.Write, _policy.Allows(Web01, AclAction.Admin, command.Name) == false);
        }
    }

    [Fact]
    public void State_changing_admin_commands_need_the_write_grant()
    {
        Assert.True(_policy.Allows(Controller, AclAction.Admin, AdminCommands.NameOf("cancel job H:x:1")));
        Assert.True(_policy.Allows(Web01, AclAction.Admin, AdminCommands.NameOf("workers")));
        Assert.False(_policy.Allows(Web01, AclAction.Admin, AdminCommands.NameOf("MAXQUEUE f 10")));
        Assert.False(_policy.Allows(Web01, AclAction.Admin, AdminCommands.NameOf("drop function f")));
        Assert.True(_policy.Allows(PeerIdentity.Anonymous, AclAction.Admin, "status"));
        Assert.False(_policy.Allows(PeerIdentity.Anonymous, AclAction.Admin, "workers"));
    }

    [Fact]
    public void Anonymous_connections_match_only_anonymous_rules()
    {
        Assert.False(_policy.Allows(PeerIdentity.Anonymous, AclAction.Submit, "narada.results"));
        Assert.False(_policy.Allows(PeerIdentity.Anonymous, AclAction.Register, "narada.check@web01"));
    }

    [Fact]
    public void A_san_name_is_an_identity_too()
    {
        var twoNames = PeerIdentity.Named("web01", "web01", "web01.example");
        Assert.True(_policy.Allows(twoNames, AclAction.Register, "narada.check@web01.example"));
    }

    [Fact]
    public void A_name_with_glob_characters_cannot_widen_own_name_patterns()
    {
        var sneaky = PeerIdentity.Named("*");
        Assert.False(_policy.Allows(sneaky, AclAction.Register, "narada.check@web01"));
    }

    [Fact]
    public void Admin_command_names_ignore_case_arguments_and_spacing()
    {
        Assert.Equal("cancel job", AdminCommands.NameOf("  CANCEL   job H:host:7\r"));
        Assert.Equal("show unique jobs", AdminCommands.NameOf("show unique jobs"));
        Assert.Equal("show jobs", AdminCommands.NameOf("show jobs"));
        Assert.Equal("maxqueue", AdminCommands.NameOf("maxqueue f 1 2 3"));
        Assert.Equal(AdminAccess.Write, AdminCommands.Find("create function f")!.Value.Command.Access);
        Assert.Equal(AdminAccess.Read, AdminCommands.Find("status")!.Value.Command.Access);
        Assert.Null(AdminCommands.Find("shutdown"));
    }

    [Theory]
    [InlineData("rules: [ { identity: x, regster: [a] } ]", "rules[0].regster: unknown key for an ACL rule (did you mean 'register'?)")]
    [InlineData("rules: [ { register: [a] } ]", "needs an identity")]
    [InlineData("rulez: []", "rulez: unknown key for an ACL file")]
    [InlineData("rules: [ { identity: x, submit: [\"a{host}\"] } ]", "only placeholder")]
    [InlineData("rules: [ { identity: x, submit: {a: b} } ]", "must be a string or a list")]
    [InlineData("rules: [ { identity: x\n", "acl:")]
    [InlineData("rules: [identity: x\nsubmit: y\n", "acl:1:")]
    public void A_bad_acl_file_is_a_clear_error_with_a_position(string yaml, string expected)
    {
        var e = Assert.Throws<AclPolicyException>(() => AclPolicyReader.Parse(yaml));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("acl:", e.Message);
    }

    [Fact]
    public void Glob_star_matches_exactly_like_a_regex_would()
    {
        Gen.Select(Gen.String[Gen.Char["ab*?"], 0, 6], Gen.String[Gen.Char["ab"], 0, 8]).Sample((pattern, value) =>
        {
            if (pattern.Length == 0)
                return;
            var regex = "^" + string.Concat(pattern.Select(c => c switch { '*' => ".*", '?' => ".", _ => c.ToString() })) + "$";
            bool expected = System.Text.RegularExpressions.Regex.IsMatch(value, regex, System.Text.RegularExpressions.RegexOptions.Singleline);
            Assert.Equal(expected, FunctionPattern.Parse(pattern).Matches(value, PeerIdentity.Anonymous));
        });
    }
}
