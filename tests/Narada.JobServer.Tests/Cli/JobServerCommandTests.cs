using Narada.Gearman.Protocol;
using Narada.JobServer.Tests.Support;
using Narada.Testing;

namespace Narada.JobServer.Tests.Cli;

/// <summary><c>narada jobserver</c> as users run it: gearmand's options, one start line, clean Ctrl-C.</summary>
[Trait("Category", "Peers")]
public sealed class JobServerCommandTests
{
    [Fact]
    public async Task StartsLogsWhereItListensServesAndStopsOnCtrlC()
    {
        int port = FreePort.Next();
        await using var narada = await NaradaProcess.StartAsync(port, "-q", "none", "-L", "127.0.0.1", "-j", "3", "--job-handle-prefix", "H:cli", "--verbose", "INFO");
        await using (var client = await RawConnection.ConnectAsync(port))
        {
            await client.SendAsync(Narada.Gearman.Protocol.PacketType.SubmitJobBg, "f", "", "x");
            Assert.Equal("H:cli:1", (await client.ExpectAsync(Narada.Gearman.Protocol.PacketType.JobCreated))[0]);
        }
        await Retry.UntilAsync(() => narada.Process.Stdout.Contains($"listening on 127.0.0.1:{port}", StringComparison.Ordinal), "the start line");

        var kill = await ExternalProcess.RunAsync(RequiredTool.Path("kill", "procps"), ["-INT", narada.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.Equal(0, kill.ExitCode);
        var exit = await narada.Process.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, exit.ExitCode);
        Assert.Single(exit.Stdout.Split('\n'), l => l.Contains("listening on", StringComparison.Ordinal));
        Assert.Contains($"127.0.0.1:{port} stopped", exit.Stdout);
    }

    [Theory]
    [InlineData("10000")] // the longest poll: one that never stopped would burn both cores
    [InlineData("0")]     // never polls
    public async Task BusyPollServesJobsAndAnIdleServerSleeps(string busyPoll)
    {
        int port = FreePort.Next();
        await using var narada = await NaradaProcess.StartAsync(port, "-q", "none", "--busy-poll", busyPoll);
        await using (var worker = await RawConnection.ConnectAsync(port))
        await using (var client = await RawConnection.ConnectAsync(port))
        {
            await worker.SendAsync(PacketType.CanDo, "echo");
            for (int i = 0; i < 200; i++)
                await RunOneJobAsync(client, worker, $"job {i}", $"done {i}");
        }

        // The runtime compiles hot methods again in the background after the burst; settle, then measure over a window
        // long enough that a one-off of that kind does not decide. A loop that never stopped polling burns a whole core.
        await Task.Delay(1000);
        double before = ProcStat.CpuSeconds(narada.Process.Id);
        await Task.Delay(2000);
        double perSecond = (ProcStat.CpuSeconds(narada.Process.Id) - before) / 2;

        Assert.True(perSecond < 0.2, $"an idle server used {perSecond:0.00} s of CPU per second");
    }

    [Theory]
    [InlineData("--busy-poll", "-1", "--busy-poll: -1 is not from 0 to 10000 microseconds")]
    [InlineData("-t", "-1", "--threads: -1 is not from 0 to 64")]
    [InlineData("-t", "65", "--threads: 65 is not from 0 to 64")]
    [InlineData("-p", "99999", "--port: 99999 is not from 1 to 65535")]
    [InlineData("-p", "0", "--port: 0 is not from 1 to 65535")]
    [InlineData("--metrics-port", "70000", "--metrics-port: 70000 is not from 1 to 65535")]
    [InlineData("-b", "0", "--backlog: 0 is not from 1 to 65535")]
    [InlineData("--verbose", "LOUD", "--verbose: 'LOUD' is not one of FATAL, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG")]
    [InlineData("--keepalive-idle", "0", "--keepalive-idle: 0 is not from 1 to 32767 seconds")]
    [InlineData("--keepalive-count", "128", "--keepalive-count: 128 is not from 1 to 127")]
    [InlineData("-L", "nosuchhost.invalid", "--listen: 'nosuchhost.invalid' is not an IP address or a host name that resolves")]
    public async Task An_option_out_of_range_is_a_clear_error(string option, string value, string message)
    {
        string[] port = option == "-p" ? [] : ["-p", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture)];

        var result = await JobServerAsync(["-q", "none", .. port, option, value]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public async Task A_queue_file_that_cannot_be_opened_is_a_clear_error_and_nothing_claims_to_have_run()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"narada-missing-{Guid.NewGuid():N}", "queue.sqlite");

        var result = await JobServerAsync(["-p", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture), "--libsqlite3-db", missing]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"cannot open the queue {missing}", result.Stderr);
        Assert.DoesNotContain("stopped", result.Stdout + result.Stderr);
    }

    [Fact]
    public async Task Threads_sets_the_io_loops_and_the_start_line_says_how_many()
    {
        int port = FreePort.Next();
        await using var narada = await NaradaProcess.StartAsync(port, "-q", "none", "--threads", "3");
        await using (var worker = await RawConnection.ConnectAsync(port))
        await using (var client = await RawConnection.ConnectAsync(port))
        {
            await worker.SendAsync(PacketType.CanDo, "echo");
            await RunOneJobAsync(client, worker, "x", "done");
        }
        await Retry.UntilAsync(() => narada.Process.Stdout.Contains(", 3 I/O loops", StringComparison.Ordinal), "the start line with the loop count");
    }

    [Fact]
    public async Task BusyPortIsAClearErrorNotAStackTrace()
    {
        await using var holder = new JobServer(new JobServerOptions { Port = 0 });
        await holder.StartAsync();

        var result = await JobServerAsync(["-q", "none", "-p", holder.Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"cannot listen on 127.0.0.1:{holder.Endpoint.Port}", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public async Task Runs_from_the_Debian_units_command_line_detached_with_its_pid_and_log_files()
    {
        // gearman-job-server.service (Type=forking) runs "gearmand --pid-file=/run/gearman/gearmand.pid $PARAMS", and
        // /etc/default/gearman-job-server sets PARAMS="--listen=localhost --daemon --log-file=...".
        int port = FreePort.Next();
        using var daemon = new DaemonDirectory();
        var dir = daemon.Path;
        var pidFile = Path.Join(dir, "gearmand.pid");
        var logFile = Path.Join(dir, "gearmand.log");

        // As the unit runs it: as user gearman in /, which it cannot write, with $HOME /var/lib/gearman and no queue
        // option. Root can write /, so /proc stands in for it; the queue must land in $HOME instead of failing.
        var start = await ExternalProcess.RunAsync(NaradaProcess.Command[0], [.. NaradaProcess.Command[1..], "jobserver",
            $"--pid-file={pidFile}", "--listen=localhost", "--daemon", $"--log-file={logFile}",
            "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            environment: new Dictionary<string, string> { ["HOME"] = dir, ["STATE_DIRECTORY"] = "" }, workingDirectory: "/proc");

        Assert.True(start.ExitCode == 0, start.ToString());
        int pid = daemon.ReadPid(pidFile);
        Assert.Contains($"running in the background as pid {pid}", start.Stdout);
        Assert.True(ProcStat.IsRunning(pid), "the server outlives the command that started it");
        Assert.Equal(pid, ProcStat.SessionId(pid)); // detached: it leads a session of its own, with no terminal
        var getpid = await ExternalProcess.RunAsync(RequiredTool.Gearadmin, ["-h", "localhost", "-p", $"{port}", "--getpid"]);
        Assert.Equal($"{pid}", getpid.Stdout.Trim());
        Assert.Contains($"narada jobserver listening on 127.0.0.1:{port}", await File.ReadAllTextAsync(logFile));
        Assert.Contains($"background jobs from {Path.Join(dir, "narada-jobserver.sqlite")}", await File.ReadAllTextAsync(logFile));

        // Debian's logrotate rule moves the log away, then sends SIGHUP to the pid in the pid file.
        File.Move(logFile, logFile + ".1");
        var hup = await ExternalProcess.RunAsync(RequiredTool.Path("kill", "procps"), ["-HUP", $"{pid}"]);
        Assert.Equal(0, hup.ExitCode);
        await Retry.UntilAsync(() => File.Exists(logFile) && File.ReadAllText(logFile).Contains("SIGHUP: log file reopened", StringComparison.Ordinal),
            "a new log file after SIGHUP");
        Assert.True(ProcStat.IsRunning(pid), "SIGHUP reopens the log; it does not end the server");
        new FileStream(logFile, FileMode.Truncate).Dispose(); // what logrotate's copytruncate does instead

        var term = await ExternalProcess.RunAsync(RequiredTool.Path("kill", "procps"), ["-TERM", $"{pid}"]);
        Assert.Equal(0, term.ExitCode);
        await Retry.UntilAsync(() => !ProcStat.IsRunning(pid), "the server to stop on SIGTERM");
        Assert.False(File.Exists(pidFile), "a clean stop removes the pid file");
        var log = await File.ReadAllTextAsync(logFile);
        Assert.Contains($"127.0.0.1:{port} stopped", log);
        Assert.DoesNotContain('\0', log); // the next line went to the new start, not after a hole
    }

    [Fact]
    public async Task A_daemon_without_a_log_file_logs_to_the_default_one_and_says_where()
    {
        // Once the starting command has exited, nothing reads the detached server's console.
        int port = FreePort.Next();
        using var daemon = new DaemonDirectory();
        var dir = daemon.Path;
        var pidFile = Path.Join(dir, "narada.pid");
        var logFile = Path.Join(dir, "narada-jobserver.log");
        var start = await ExternalProcess.RunAsync(NaradaProcess.Command[0], [.. NaradaProcess.Command[1..], "jobserver",
            "-q", "none", "-d", "--pid-file", pidFile, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            environment: new Dictionary<string, string> { ["LOGS_DIRECTORY"] = dir });

        Assert.True(start.ExitCode == 0, start.ToString());
        daemon.ReadPid(pidFile);
        Assert.Contains($"logging to {logFile} (no --log-file given)", start.Stdout);
        Assert.Contains($"narada jobserver listening on 127.0.0.1:{port}", await File.ReadAllTextAsync(logFile));
    }

    /// <summary>A temporary directory for a detached server's files; disposing it kills the server if it still runs.</summary>
    private sealed class DaemonDirectory : IDisposable
    {
        private int _pid;

        public string Path { get; } = Directory.CreateTempSubdirectory("narada-daemon-").FullName;

        /// <summary>The server's pid from its pid file, remembered for the clean-up.</summary>
        public int ReadPid(string pidFile) =>
            _pid = int.Parse(File.ReadAllText(pidFile), System.Globalization.CultureInfo.InvariantCulture);

        public void Dispose()
        {
            if (_pid != 0 && ProcStat.IsRunning(_pid))
                System.Diagnostics.Process.GetProcessById(_pid).Kill();
            Directory.Delete(Path, recursive: true);
        }
    }

    [Fact]
    public async Task A_second_server_does_not_take_the_pid_file_of_one_that_runs_but_a_stale_one_is_replaced()
    {
        var pidFile = Path.Join(Path.GetTempPath(), $"narada-{Guid.NewGuid():N}.pid");
        try
        {
            int port = FreePort.Next();
            await using var first = await NaradaProcess.StartAsync(port, "-q", "none", "--pid-file", pidFile);
            await Retry.UntilAsync(() => File.Exists(pidFile), "the first server's pid file");

            var second = await JobServerAsync(["-q", "none", "--pid-file", pidFile, "-p", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture)]);

            Assert.Equal(1, second.ExitCode);
            Assert.Contains($"names process {first.Process.Id}, which is running", second.Stderr);
            Assert.Equal($"{first.Process.Id}\n", await File.ReadAllTextAsync(pidFile));

            await using var other = ExternalProcess.Start(RequiredTool.Path("sleep", "coreutils"), ["30"]);
            await File.WriteAllTextAsync(pidFile, $"{other.Id}\n"); // running, but not a narada: the number was reused
            int thirdPort = FreePort.Next();
            await using var third = await NaradaProcess.StartAsync(thirdPort, "-q", "none", "--pid-file", pidFile);
            Assert.Equal($"{third.Process.Id}\n", await File.ReadAllTextAsync(pidFile));
        }
        finally
        {
            File.Delete(pidFile);
        }
    }

    [Fact]
    public async Task A_daemon_that_cannot_listen_says_why_and_the_command_fails()
    {
        await using var holder = new JobServer(new JobServerOptions { Port = 0 });
        await holder.StartAsync();
        var pidFile = Path.Join(Path.GetTempPath(), $"narada-{Guid.NewGuid():N}.pid");

        var result = await JobServerAsync(["-q", "none", "-d", "--pid-file", pidFile,
            "-p", holder.Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"cannot listen on 127.0.0.1:{holder.Endpoint.Port}", result.Stderr);
        Assert.DoesNotContain("running in the background", result.Stdout);
        Assert.False(File.Exists(pidFile), "a server that never served leaves no pid file");
    }

    [Theory]
    [InlineData("--pid-file", "cannot write the pid file")]
    [InlineData("--log-file", "cannot open the log file")]
    public async Task A_pid_or_log_file_that_cannot_be_written_is_one_clear_line(string option, string message)
    {
        var missing = Path.Join(Path.GetTempPath(), $"narada-missing-{Guid.NewGuid():N}", "file");

        var result = await JobServerAsync(["-q", "none", "-p", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            option, missing]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"narada jobserver: {message}", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.DoesNotContain("listening", result.Stdout);
    }

    [Fact]
    public async Task Listening_beyond_loopback_with_nobody_to_check_peers_is_warned_about_and_loopback_is_not()
    {
        int open = FreePort.Next(), local = FreePort.Next();
        await using var exposed = await NaradaProcess.StartAsync(open, "-q", "none", "-L", "0.0.0.0");
        await using var loopback = await NaradaProcess.StartAsync(local, "-q", "none");

        // The warning follows the start line; by the time the exposed server's is out, the loopback one's would be too.
        await Retry.UntilAsync(() => exposed.Process.Stdout.Contains("open to the network", StringComparison.Ordinal)
            && loopback.Process.Stdout.Contains("listening", StringComparison.Ordinal), "the warning and the loopback start line");
        Assert.Contains($"0.0.0.0:{open} is open to the network with no client certificates and no ACL", exposed.Process.Stdout);
        Assert.DoesNotContain("open to the network", loopback.Process.Stdout);
    }

    [Fact]
    public async Task Backlog_sets_the_listen_queue()
    {
        int port = FreePort.Next();
        await using var narada = await NaradaProcess.StartAsync(port, "-q", "none", "-b", "7");

        var listening = await ExternalProcess.RunAsync(RequiredTool.Path("ss", "iproute2"), ["-ltnH", $"sport = :{port}"]);

        // LISTEN  Recv-Q  Send-Q (the backlog)  local address  peer
        var columns = listening.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(columns.Length >= 4, listening.ToString());
        Assert.Equal(("7", $"127.0.0.1:{port}"), (columns[2], columns[3]));
    }

    /// <summary>The local addresses listening on <paramref name="port"/>, without the port, once there is one.</summary>
    private static async Task<string[]> ListeningOnAsync(int port)
    {
        string[] addresses = [];
        await Retry.UntilAsync(async () =>
        {
            var ss = await ExternalProcess.RunAsync(RequiredTool.Path("ss", "iproute2"), ["-ltnH", $"sport = :{port}"]);
            addresses = [.. ss.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3])
                .Select(local => local[..local.LastIndexOf(':')])
                .Order(StringComparer.Ordinal)];
            return addresses.Length > 0;
        }, $"a listener on port {port}");
        return addresses;
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("")] // this machine's own name, for which .NET's resolver would add every interface's address
    public async Task A_host_name_listens_on_exactly_the_addresses_gearmand_listens_on(string name)
    {
        if (name.Length == 0)
            name = System.Net.Dns.GetHostName();
        int gearmandPort = FreePort.Next(), naradaPort = FreePort.Next();
        await using var gearmand = ExternalProcess.Start(RequiredTool.Gearmand,
            ["-L", name, "-p", $"{gearmandPort}", "--log-file=stderr", "--verbose=ERROR"]);
        await using var narada = ExternalProcess.Start(NaradaProcess.Command[0], [.. NaradaProcess.Command[1..], "jobserver", "-q", "none",
            "-L", name, "-p", $"{naradaPort}"]);

        var expected = await ListeningOnAsync(gearmandPort);
        Assert.Equal(expected, await ListeningOnAsync(naradaPort));
    }

    [Fact]
    public async Task Every_listen_option_serves_and_an_address_this_host_lacks_is_skipped_with_a_warning()
    {
        int port = FreePort.Next();
        // 203.0.113.7 (TEST-NET-3) is on no interface here: gearmand, too, listens on what it can and says what it cannot.
        await using var narada = await NaradaProcess.StartAsync(port, "-q", "none", "-L", "127.0.0.1", "-L", "::1", "-L", "203.0.113.7");

        Assert.Equal(["127.0.0.1", "[::1]"], await ListeningOnAsync(port));
        await narada.Process.WaitForStdoutAsync("not listening on 203.0.113.7"); // logged through the console logger's queue
        using var v6 = new System.Net.Sockets.TcpClient(System.Net.Sockets.AddressFamily.InterNetworkV6);
        await v6.ConnectAsync(System.Net.IPAddress.IPv6Loopback, port);
        await using var stream = v6.GetStream();
        await stream.WriteAsync("version\n"u8.ToArray());
        var reply = new byte[64];
        int read = await stream.ReadAsync(reply);
        Assert.Matches(@"^OK \S+\n", System.Text.Encoding.ASCII.GetString(reply, 0, read));

        var alone = await NaradaProcess.RunAsync("jobserver", "-q", "none", "-L", "203.0.113.7", "-p", $"{FreePort.Next()}");
        Assert.Equal(1, alone.ExitCode);
        Assert.Contains("cannot listen on 203.0.113.7:", alone.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], true)] // on by default, first probe after a minute of silence
    [InlineData(new[] { "--keepalive-idle", "30" }, true)]
    [InlineData(new[] { "--keepalive", "false" }, false)]
    public async Task Keepalive_probes_every_connection_unless_turned_off(string[] options, bool probed)
    {
        int port = FreePort.Next();
        await using var narada = await NaradaProcess.StartAsync(port, ["-q", "none", .. options]);
        await using var worker = await RawConnection.ConnectAsync(port);
        await worker.SendAsync(PacketType.EchoReq, "x");
        await worker.ExpectAsync(PacketType.EchoRes); // accepted and served, so its options are set

        var line = Assert.Single(await SocketTimers.LinesAsync(port));
        if (!probed)
        {
            Assert.Null(SocketTimers.KeepAliveDueSeconds(line));
            return;
        }
        int idle = options.Length == 0 ? 60 : int.Parse(options[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(SocketTimers.KeepAliveDueSeconds(line) ?? int.MaxValue, idle - 5, idle);
    }

    [Fact]
    public async Task A_flood_past_the_open_file_limit_is_refused_and_the_server_serves_after_it()
    {
        int port = FreePort.Next(), metricsPort = FreePort.Next();
        // The runtime and the server hold over a hundred descriptors before the first connection; 500 leaves room for
        // a few hundred connections, far fewer than the flood below opens.
        await using var server = await NaradaProcess.LaunchAsync(port,
            [RequiredTool.Path("prlimit", "util-linux"), "--nofile=500:500", "--", .. NaradaProcess.Command,
             "jobserver", "-q", "none", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--metrics-port", metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var narada = server.Process;
        await Retry.UntilAsync(() => narada.Stdout.Contains("the open-file limit of 500 leaves room for", StringComparison.Ordinal),
            "the warning about the open-file limit");
        // What every connection needs is loaded before the first one: loading it later takes a descriptor a flood may
        // have used up, and a failed load is never retried.
        var mapped = await File.ReadAllTextAsync($"/proc/{narada.Id}/maps");
        Assert.Contains("System.IO.Pipelines.dll", mapped);
        Assert.Contains("System.Threading.Channels.dll", mapped);

        var flood = new List<System.Net.Sockets.Socket>();
        try
        {
            for (int i = 0; i < 800; i++)
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                flood.Add(socket);
                await socket.ConnectAsync(System.Net.IPAddress.Loopback, port);
            }
            await Retry.UntilAsync(() => narada.Stdout.Contains("connections open, the most allowed", StringComparison.Ordinal),
                "the refusals to be reported");
            // and counted where an alert can see them
            using var http = new HttpClient();
            var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"));
            double Sample(string name) => double.Parse(metrics.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal))[(name.Length + 1)..],
                System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(Sample("narada_jobserver_connections_limit"), 1, 500 - 64);
            Assert.True(Sample("narada_jobserver_connections_refused_total") > 0);
        }
        finally
        {
            foreach (var socket in flood)
                socket.Dispose();
        }

        // With the flood gone, a real job runs.
        await Retry.UntilAsync(async () =>
        {
            try
            {
                await using var worker = await RawConnection.ConnectAsync(port);
                await using var client = await RawConnection.ConnectAsync(port);
                await worker.SendAsync(PacketType.CanDo, "echo");
                await RunOneJobAsync(client, worker, "after the flood", "served");
                return true;
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or TimeoutException)
            {
                return false; // the server is still closing the flood's connections
            }
        }, "a job to run after the flood");
        Assert.True(ProcStat.IsRunning(narada.Id));
        Assert.DoesNotContain("failed", narada.Stdout);
    }

    [Fact]
    public async Task Gearmands_tuning_options_are_ignored_with_a_reason_and_file_descriptors_sets_the_budget()
    {
        int port = FreePort.Next();
        await using var narada = await NaradaProcess.StartAsync(port, "-q", "none", "-R", "-w", "1", "--hashtable-buckets", "991", "-f", "400");
        await using (var client = await RawConnection.ConnectAsync(port))
        {
            await client.SendAsync(PacketType.EchoReq, "still serves");
            Assert.Equal(["still serves"], await client.ExpectAsync(PacketType.EchoRes));
        }

        await narada.Process.WaitForStderrAsync("ignoring gearmand's --round-robin: Narada already takes a worker's functions of equal priority in turn");
        await narada.Process.WaitForStderrAsync("ignoring gearmand's --worker-wakeup");
        await narada.Process.WaitForStderrAsync("ignoring gearmand's --hashtable-buckets");
        await Retry.UntilAsync(() => narada.Process.Stdout.Contains("the open-file limit of 400 leaves room for", StringComparison.Ordinal),
            "-f to set the descriptor budget");
    }

    [Theory]
    [InlineData("-u", "gearman", "gearmand's --user has no counterpart here: start it as that user instead")]
    [InlineData("--syslog", null, "gearmand's --syslog has no counterpart here: use --log-file")]
    [InlineData("-r", "http", "gearmand's --protocol has no counterpart here")]
    public async Task Gearmand_options_that_would_change_what_the_operator_relies_on_stop_the_start(string option, string? value, string message)
    {
        string[] given = value is null ? [option] : [option, value];

        var result = await JobServerAsync(["-q", "none", "-p", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture), .. given]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.DoesNotContain("listening", result.Stdout);
    }

    [Fact]
    public async Task A_detached_start_reports_each_problem_once_with_the_copys_exit_code()
    {
        var result = await JobServerAsync(["-d", "-q", "none", "-R", "-u", "nobody",
            "-p", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Stderr.Split('\n'), l => l.Contains("--round-robin", StringComparison.Ordinal));
        Assert.Single(result.Stderr.Split('\n'), l => l.Contains("gearmand's --user has no counterpart", StringComparison.Ordinal));
        Assert.DoesNotContain("running in the background", result.Stdout);
    }

    [Fact]
    public async Task Version_prints_the_version_as_gearmand_V_does()
    {
        var result = await JobServerAsync(["-V"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"narada jobserver {JobServer.Version}", result.Stdout.Trim());
    }

    /// <summary>One echo job through the server: submit, grab, complete, and the client gets the worker's result.</summary>
    private static async Task RunOneJobAsync(RawConnection client, RawConnection worker, string payload, string result)
    {
        await client.SendAsync(PacketType.SubmitJob, "echo", "", payload);
        string handle = (await client.ExpectAsync(PacketType.JobCreated))[0];
        await worker.SendAsync(PacketType.GrabJob);
        Assert.Equal(handle, (await worker.ExpectAsync(PacketType.JobAssign))[0]);
        await worker.SendAsync(PacketType.WorkComplete, handle, result);
        Assert.Equal([handle, result], await client.ExpectAsync(PacketType.WorkComplete));
    }

    /// <summary>Runs <c>narada jobserver</c> to completion with <paramref name="args"/>.</summary>
    private static Task<ProcessResult> JobServerAsync(string[] args) => NaradaProcess.RunAsync(["jobserver", .. args]);
}
