using Narada.Core.Definitions;

namespace Narada.Core.Tests.Definitions;

/// <summary>The on-call keys: retry_every and depends_on on checks, repeat and after on handlers.</summary>
public sealed class OnCallKeysTests
{
    [Fact]
    public void The_on_call_keys_are_read_into_the_definitions()
    {
        var set = ConfigDirectory.SetOf("""
            kind: Check
            name: http
            plugin: nagios.check_http
            every: 5m
            retry_every: 30s
            attempts: 3
            targets: { tags: [web] }
            handlers: [page]
            depends_on:
              - { check: ping }
              - { check: uplink, host: switch01 }
              - { host: router01 }
            ---
            kind: Check
            name: ping
            plugin: nagios.check_ping
            every: 1m
            targets: { tags: [web] }
            ---
            kind: Check
            name: uplink
            plugin: nagios.check_ping
            every: 1m
            targets: { hosts: [switch01] }
            ---
            kind: Handler
            name: page
            exec: [/usr/bin/true]
            repeat: 30m
            after: 15m
            """);
        var http = set.Checks["http"];
        Assert.Equal(TimeSpan.FromSeconds(30), http.RetryEvery);
        Assert.Equal([new Dependency("ping", null), new Dependency("uplink", "switch01"), new Dependency(null, "router01")], http.DependsOn);
        Assert.Null(set.Checks["ping"].RetryEvery);
        Assert.Equal(TimeSpan.FromMinutes(30), set.Handlers["page"].Repeat);
        Assert.Equal(TimeSpan.FromMinutes(15), set.Handlers["page"].After);
    }

    [Fact]
    public void Misspelt_on_call_keys_and_unknown_parents_are_reported_with_positions_and_the_nearest_key()
    {
        var errors = ConfigDirectory.ErrorsOf("""
            kind: Check
            name: http
            plugin: nagios.check_http
            every: 5m
            retry_evry: 30s
            targets: { tags: [web] }
            depends_on:
              - { chek: ping }
              - { check: pnig }
              - {}
            ---
            kind: Handler
            name: page
            exec: [/usr/bin/true]
            repet: 30m
            after: 0s
            """).Select(e => e.ToString()).ToArray();

        Assert.Contains(errors, e => e.Contains(":5:1: retry_evry: unknown key for Check (did you mean 'retry_every'?)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(":8:7: depends_on[0].chek: unknown key for a dependency (did you mean 'check'?)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(":9:14:", StringComparison.Ordinal) && e.Contains("pnig", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(":10:5: depends_on[2]: a dependency names a check", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(":15:1: repet: unknown key for Handler (did you mean 'repeat'?)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(":16:8: after: bad duration", StringComparison.Ordinal));
    }
}
