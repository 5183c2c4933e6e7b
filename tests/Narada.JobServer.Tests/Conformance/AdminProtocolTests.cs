using System.Text.RegularExpressions;
using Narada.Gearman.Protocol;
using Narada.JobServer.Tests.Support;

namespace Narada.JobServer.Tests.Conformance;

/// <summary>The text admin protocol, compared byte for byte with gearmand after the same scenario on both.</summary>
public sealed partial class AdminProtocolTests
{
    private static readonly string[] Commands =
    [
        "status", "prioritystatus", "workers", "show jobs", "show unique jobs", "STATUS", "verbose",
        "cancel job H:nowhere:99", "foo bar", "  status", "show", "show nothing", "maxqueue", "create function",
        "create function made", "status", "drop function made", "drop function never", "drop function busy", "status",
    ];

    [Fact]
    public async Task RepliesMatchGearmandAfterTheSameScenario()
    {
        await using var gearmand = await TestServer.StartAsync(ServerKind.Gearmand);
        await using var narada = await TestServer.StartAsync(ServerKind.Narada);

        var expected = await RunScenarioAsync(gearmand);
        var actual = await RunScenarioAsync(narada);

        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            Assert.True(expected[i] == actual[i], $"step {i}:\n gearmand: {Show(expected[i])}\n narada:   {Show(actual[i])}");
    }

    [Theory]
    [MemberData(nameof(ServerKinds.All), MemberType = typeof(ServerKinds))]
    public async Task GetpidAndVersionAnswerOk(ServerKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await using var admin = await RawConnection.ConnectAsync(server.Port);
        Assert.Matches(@"^OK \d+\n$", await admin.AdminAsync("getpid", listing: false));
        Assert.Matches(@"^OK \S+\n$", await admin.AdminAsync("version", listing: false));
        var tool = await Tools.GearadminAsync(server, "--server-version");
        Assert.Equal(0, tool.ExitCode);
        Assert.NotEmpty(tool.Stdout.Trim());
    }

    [Fact]
    public async Task GearadminPrintsTheSameAgainstBoth()
    {
        await using var gearmand = await TestServer.StartAsync(ServerKind.Gearmand);
        await using var narada = await TestServer.StartAsync(ServerKind.Narada);
        var outputs = new List<string>[2];
        int n = 0;
        foreach (var server in new[] { gearmand, narada })
        {
            await using var worker = await SetUpAsync(server);
            var list = new List<string>();
            foreach (var args in new[] { "--status", "--priority-status", "--workers", "--show-jobs", "--show-unique-jobs" })
                list.Add(Normalize((await Tools.GearadminAsync(server, args)).Stdout));
            outputs[n++] = list;
        }
        Assert.Equal(outputs[0], outputs[1]);
    }

    private static async Task<List<string>> RunScenarioAsync(TestServer server)
    {
        await using var worker = await SetUpAsync(server);
        await using var admin = await RawConnection.ConnectAsync(server.Port);
        // The set-up's client has hung up; either server may list it until it has read the close. Start comparing once
        // only the worker and this admin connection are left.
        await Narada.Testing.Retry.UntilAsync(async () =>
            (await admin.AdminAsync("workers", listing: true)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 3,
            "the set-up client's connection to be gone");
        var replies = new List<string>();
        foreach (var command in Commands)
        {
            bool listing = command.Trim().Split(' ')[0].ToLowerInvariant() is "status" or "prioritystatus" or "workers"
                || command.StartsWith("show ", StringComparison.Ordinal);
            replies.Add(Normalize(await admin.AdminAsync(command, listing)));
        }
        return replies;
    }

    /// <summary>A worker with a client id on two functions, and queued background jobs at three priorities.</summary>
    private static async Task<RawConnection> SetUpAsync(TestServer server)
    {
        var worker = await RawConnection.ConnectAsync(server.Port);
        await worker.SendAsync(PacketType.SetClientId, "worker-7");
        await worker.SendAsync(PacketType.CanDo, "busy");
        await worker.SendAsync(PacketType.CanDo, "idle");
        await worker.SendAsync(PacketType.EchoReq, "sync");
        await worker.ExpectAsync(PacketType.EchoRes);
        await using var client = await RawConnection.ConnectAsync(server.Port);
        await client.SendAsync(PacketType.SubmitJobBg, "busy", "u-high", "1");
        await client.SendAsync(PacketType.SubmitJobHighBg, "busy", "u-high2", "2");
        await client.SendAsync(PacketType.SubmitJobLowBg, "queued", "u-low", "3");
        await client.SendAsync(PacketType.SubmitJobBg, "queued", "", "4");
        for (int i = 0; i < 4; i++)
            await client.ExpectAsync(PacketType.JobCreated);
        await worker.SendAsync(PacketType.GrabJob);
        await worker.ExpectAsync(PacketType.JobAssign);
        return worker;
    }

    /// <summary>Removes what legitimately differs: handle prefixes, connection numbers, hash-table order of lines.</summary>
    private static string Normalize(string reply)
    {
        reply = HandlePrefix().Replace(reply, "H:host:");
        reply = ConnectionNumber().Replace(reply, "N ");
        var lines = reply.Split('\n');
        if (lines.Length > 2 && reply.EndsWith(".\n", StringComparison.Ordinal))
            return string.Join('\n', lines[..^2].Order(StringComparer.Ordinal)) + "\n.\n";
        return reply;
    }

    private static string Show(string s) => s.Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t");

    [GeneratedRegex(@"H:[^:\t\n]+:\d+")]
    private static partial Regex HandlePrefix();

    [GeneratedRegex(@"(?m)^\d+ (?=127\.0\.0\.1 )")]
    private static partial Regex ConnectionNumber();
}
