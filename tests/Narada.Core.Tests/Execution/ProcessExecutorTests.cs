using System.Text;
using Narada.Core.Execution;
using Narada.Testing;

namespace Narada.Agent.Tests.Execution;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Trait("Category", "Peers")]
public sealed class ProcessExecutorTests : IDisposable
{
    private readonly ProcessExecutor _executor = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-exec-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string CheckDummy => RequiredTool.Path("check_dummy", "monitoring-plugins-basic");

    [Theory]
    [InlineData(0, "OK")]
    [InlineData(1, "WARNING")]
    [InlineData(2, "CRITICAL")]
    [InlineData(3, "UNKNOWN")]
    public async Task Check_dummy_exit_code_and_text_come_back(int state, string label)
    {
        var result = await _executor.RunAsync(new ProcessSpec { Executable = CheckDummy, Arguments = [$"{state}", "disk is fine-ish"] });

        Assert.Null(result.StartError);
        Assert.False(result.TimedOut);
        Assert.Equal(state, result.ExitCode);
        Assert.Equal($"{label}: disk is fine-ish\n", result.Stdout);
        Assert.Equal("", result.Stderr);
        Assert.True(result.Duration > TimeSpan.Zero);
    }

    [Fact]
    public async Task Arguments_reach_the_program_verbatim_without_a_shell()
    {
        string[] tricky = ["$(touch /tmp/x)", "a b", "*", "'q'", ";ls", ""];
        var result = await _executor.RunAsync(new ProcessSpec { Executable = "/usr/bin/printf", Arguments = ["[%s]\n", .. tricky] });

        Assert.Equal(string.Concat(tricky.Select(a => $"[{a}]\n")), result.Stdout);
    }

    [Fact]
    public async Task Timeout_kills_the_program_and_its_background_grandchild()
    {
        string script = WriteScript("hang.sh", """
            #!/bin/sh
            echo $$ > "$1/leader.pid"
            sleep 300 &
            echo $! > "$1/child.pid"
            echo started
            sleep 60
            """);

        var result = await _executor.RunAsync(new ProcessSpec { Executable = script, Arguments = [_dir], Timeout = TimeSpan.FromMilliseconds(500) });

        Assert.True(result.TimedOut);
        Assert.Null(result.StartError);
        Assert.Equal("started\n", result.Stdout);
        Assert.True(result.Duration < TimeSpan.FromSeconds(10), $"took {result.Duration}");
        int leader = int.Parse(File.ReadAllText(Path.Combine(_dir, "leader.pid")));
        int child = int.Parse(File.ReadAllText(Path.Combine(_dir, "child.pid")));
        await Retry.UntilAsync(() => LiveProcessesInGroup(leader).Count == 0, $"process group {leader} to be empty", TimeSpan.FromSeconds(5));
        Assert.False(IsAlive(child), $"background sleep {child} survived the timeout");
    }

    [Fact]
    public async Task A_program_that_ignores_sigterm_is_killed_after_the_grace()
    {
        string script = WriteScript("stubborn.sh", """
            #!/bin/sh
            trap '' TERM
            echo $$ > "$1/leader.pid"
            while :; do sleep 0.1; done
            """);
        var executor = new ProcessExecutor(ProcessExecutorOptions.Default with { KillGrace = TimeSpan.FromMilliseconds(300) });

        var result = await executor.RunAsync(new ProcessSpec { Executable = script, Arguments = [_dir], Timeout = TimeSpan.FromMilliseconds(500) });

        Assert.True(result.TimedOut);
        Assert.Equal(128 + 9, result.ExitCode);
        Assert.True(result.Duration < TimeSpan.FromSeconds(10), $"took {result.Duration}");
        int leader = int.Parse(File.ReadAllText(Path.Combine(_dir, "leader.pid")));
        await Retry.UntilAsync(() => LiveProcessesInGroup(leader).Count == 0, $"process group {leader} to be empty", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Background_children_do_not_outlive_a_program_that_exits_normally()
    {
        string script = WriteScript("leaver.sh", """
            #!/bin/sh
            echo $$ > "$1/leader.pid"
            sleep 300 &
            echo done
            """);

        var result = await _executor.RunAsync(new ProcessSpec { Executable = script, Arguments = [_dir], Timeout = TimeSpan.FromSeconds(20) });

        Assert.Equal(0, result.ExitCode);
        Assert.False(result.TimedOut);
        Assert.Equal("done\n", result.Stdout);
        Assert.True(result.Duration < TimeSpan.FromSeconds(10), $"took {result.Duration}");
        int leader = int.Parse(File.ReadAllText(Path.Combine(_dir, "leader.pid")));
        await Retry.UntilAsync(() => LiveProcessesInGroup(leader).Count == 0, $"process group {leader} to be empty", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Output_already_in_the_pipe_is_kept_however_late_its_drain_runs()
    {
        // No grace at all after the exit: what the program wrote is in the pipe, and a drain that has not caught up yet
        // (a busy thread pool) must still get all of it.
        var executor = new ProcessExecutor(ProcessExecutorOptions.Default with { DrainGrace = TimeSpan.Zero });
        for (int run = 0; run < 30; run++)
        {
            var result = await executor.RunAsync(new ProcessSpec
            {
                Executable = RequiredTool.Path("head", "coreutils"),
                Arguments = ["-c", "60000", "/dev/zero"],
                OutputCap = 1 << 20,
            });

            Assert.Equal(0, result.ExitCode);
            Assert.Equal(60000, result.Stdout.Length);
        }
    }

    [Fact]
    public async Task A_descendant_in_its_own_session_holding_the_pipe_does_not_hold_up_the_result()
    {
        var setsid = RequiredTool.Path("setsid", "util-linux");
        var started = DateTime.UtcNow;

        var result = await _executor.RunAsync(new ProcessSpec
        {
            Executable = "/bin/sh",
            Arguments = ["-c", $"{setsid} /bin/sh -c 'echo escaped $$; exec sleep 30' & sleep 0.2; echo sent"],
        });

        var escaped = result.Stdout.Split('\n').Single(l => l.StartsWith("escaped ", StringComparison.Ordinal));
        System.Diagnostics.Process.GetProcessById(int.Parse(escaped["escaped ".Length..], System.Globalization.CultureInfo.InvariantCulture)).Kill();
        Assert.Contains("sent\n", result.Stdout);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(8), $"took {DateTime.UtcNow - started}");
    }

    [Fact]
    public async Task Ten_megabytes_of_output_is_capped_and_flagged()
    {
        string script = WriteScript("flood.sh", """
            #!/bin/sh
            head -c 10485760 /dev/zero | tr '\0' 'x'
            echo oops >&2
            exit 3
            """);

        var result = await _executor.RunAsync(new ProcessSpec { Executable = script, OutputCap = 64 * 1024, Timeout = TimeSpan.FromSeconds(20) });

        Assert.False(result.TimedOut);
        Assert.Equal(3, result.ExitCode);
        Assert.True(result.StdoutTruncated);
        Assert.Equal(new string('x', 64 * 1024), result.Stdout);
        Assert.False(result.StderrTruncated);
        Assert.Equal("oops\n", result.Stderr);
        Assert.True(result.Duration < TimeSpan.FromSeconds(10), $"took {result.Duration}");
    }

    [Fact]
    public async Task Environment_is_the_minimal_base_plus_declared_variables_only()
    {
        Environment.SetEnvironmentVariable("NARADA_AGENT_SECRET_FOR_TEST", "leaked");
        try
        {
            var result = await _executor.RunAsync(new ProcessSpec
            {
                Executable = "/usr/bin/env",
                Environment = new Dictionary<string, string> { ["CHECK_MODE"] = "strict", ["LANG"] = "C.UTF-8" },
            });

            var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order().ToArray();
            Assert.Equal(["CHECK_MODE=strict", "LANG=C.UTF-8", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"], lines);
        }
        finally
        {
            Environment.SetEnvironmentVariable("NARADA_AGENT_SECRET_FOR_TEST", null);
        }
    }

    [Fact]
    public async Task Stdin_bytes_are_delivered_and_working_directory_is_used()
    {
        var result = await _executor.RunAsync(new ProcessSpec
        {
            Executable = "/bin/sh",
            Arguments = ["-c", "pwd; cat"],
            WorkingDirectory = _dir,
            Stdin = Encoding.UTF8.GetBytes("from stdin"),
        });

        Assert.Equal($"{_dir}\nfrom stdin", result.Stdout);
    }

    [Fact]
    public async Task Missing_executable_is_a_start_error()
    {
        var result = await _executor.RunAsync(new ProcessSpec { Executable = Path.Combine(_dir, "nope") });

        Assert.Contains("no such file", result.StartError);
        Assert.Equal(-1, result.ExitCode);
        Assert.False(result.Completed);
    }

    [Fact]
    public async Task Non_executable_file_is_a_start_error()
    {
        string file = Path.Combine(_dir, "plain.txt");
        File.WriteAllText(file, "#!/bin/sh\necho hi\n");

        var result = await _executor.RunAsync(new ProcessSpec { Executable = file });

        Assert.Contains("permission denied", result.StartError);
    }

    [Fact]
    public async Task Script_with_a_missing_interpreter_is_a_start_error()
    {
        string script = WriteScript("badshebang.sh", "#!/nonexistent/interpreter\necho hi");

        var result = await _executor.RunAsync(new ProcessSpec { Executable = script });

        Assert.Equal($"{script}: No such file or directory", result.StartError);
        Assert.Equal(-1, result.ExitCode);
    }

    [Fact]
    public async Task Relative_executable_and_missing_working_directory_are_start_errors()
    {
        Assert.Contains("absolute", (await _executor.RunAsync(new ProcessSpec { Executable = "check_dummy" })).StartError);
        var badDir = await _executor.RunAsync(new ProcessSpec { Executable = "/bin/true", WorkingDirectory = Path.Combine(_dir, "gone") });
        Assert.Contains("no such directory", badDir.StartError);
    }

    [Fact]
    public async Task Cancellation_kills_the_group_and_throws()
    {
        string script = WriteScript("wait.sh", "#!/bin/sh\necho $$ > \"$1/leader.pid\"\nsleep 60\n");
        using var cts = new CancellationTokenSource();
        var run = _executor.RunAsync(new ProcessSpec { Executable = script, Arguments = [_dir], Timeout = TimeSpan.FromSeconds(30) }, cts.Token);
        string pidFile = Path.Combine(_dir, "leader.pid");
        await Retry.UntilAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).EndsWith('\n'), "script to start");

        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        int leader = int.Parse(File.ReadAllText(pidFile));
        await Retry.UntilAsync(() => LiveProcessesInGroup(leader).Count == 0, $"process group {leader} to be empty", TimeSpan.FromSeconds(5));
    }

    private string WriteScript(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text.Replace("\r\n", "\n") + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>Processes whose process group is <paramref name="pgid"/>, zombies excepted (a container's init may not reap them).</summary>
    private static List<int> LiveProcessesInGroup(int pgid)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
                continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue;
            }
            // Fields after the parenthesised command name: state ppid pgrp ...
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[0] != "Z" && int.Parse(fields[2]) == pgid)
                found.Add(pid);
        }
        return found;
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
