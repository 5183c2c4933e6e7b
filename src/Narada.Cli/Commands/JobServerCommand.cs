using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Narada.Cli.Hosting;
using Narada.JobServer;
using GearmanJobServer = Narada.JobServer.JobServer;

namespace Narada.Cli.Commands;

/// <summary><c>narada jobserver</c>: runs the gearmand-compatible job server until Ctrl-C.</summary>
internal static class JobServerCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port", "-p") { Description = "TCP port to listen on.", DefaultValueFactory = _ => 4730 };
        var listen = new Option<string[]>("--listen", "-L")
        {
            Description = "Address or host name to listen on (repeatable); a name listens on every address it resolves to, as gearmand's does.",
            DefaultValueFactory = _ => ["127.0.0.1"],
        };
        var retries = new Option<int>("--job-retries", "-j") { Description = "Attempts before a job whose workers keep dying is failed (0: unlimited)." };
        var queueType = new Option<string>("--queue-type", "-q") { Description = "Persistent queue for background jobs: sqlite (default: acknowledged jobs survive kill -9) or none.", DefaultValueFactory = _ => "sqlite" };
        queueType.AcceptOnlyFromAmong("sqlite", "libsqlite3", "none");
        var database = new Option<string?>("--libsqlite3-db")
        {
            Description = $"SQLite file of the background queue (default: {QueueFile} in $STATE_DIRECTORY, else the working directory, " +
                "else $HOME, the first one writable).",
        };
        var gearmandTable = new Option<string>("--libsqlite3-table")
        {
            Description = "gearmand's queue table in the --libsqlite3-db file: its background jobs move into Narada's queue at the start.",
            DefaultValueFactory = _ => JobServerOptions.Default.GearmandQueueTable,
        };
        var prefix = new Option<string?>("--job-handle-prefix") { Description = "Job handle prefix (default H:<hostname>)." };
        var verbose = new Option<string>("--verbose") { Description = "Log level: FATAL, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG.", DefaultValueFactory = _ => "INFO" };
        var metricsPort = new Option<int?>("--metrics-port") { Description = "Serve Prometheus metrics on this loopback port." };
        var busyPoll = new Option<int>("--busy-poll")
        {
            Description = "Microseconds an I/O loop polls for more packets before it sleeps (0-10000; 0: never, the least CPU).",
            DefaultValueFactory = _ => (int)JobServerOptions.Default.BusyPoll.TotalMicroseconds,
        };

        var threads = new Option<int>("--threads", "-t")
        {
            Description = "I/O loops for plain connections (0-64; 0: one per four cores, at least one).",
        };

        var logFile = new Option<string?>("--log-file", "-l")
        {
            Description = "Append the log to this file instead of the console ('stderr': standard error, 'none': no log). " +
                $"With --daemon the default is {LogFile} in $LOGS_DIRECTORY, else /var/log, else the working directory, else $HOME.",
        };
        var pidFile = new Option<string?>("--pid-file", "-P") { Description = "Write the server's process id to this file while it serves." };
        var daemon = new Option<bool>("--daemon", "-d") { Description = "Detach and run in the background once serving (for Type=forking services)." };
        var backlog = new Option<int>("--backlog", "-b")
        {
            Description = "Connections the kernel queues before they are accepted.",
            DefaultValueFactory = _ => JobServerOptions.Default.Backlog,
        };

        var keepAlive = new Option<bool>("--keepalive")
        {
            Description = "TCP keepalive on connections, so a peer whose host died is dropped and its job requeued ('--keepalive false': off).",
            DefaultValueFactory = _ => JobServerOptions.Default.KeepAlive,
        };
        var keepAliveIdle = new Option<int>("--keepalive-idle")
        {
            Description = "Seconds of silence before the first keepalive probe.",
            DefaultValueFactory = _ => (int)JobServerOptions.Default.KeepAliveIdle.TotalSeconds,
        };
        var keepAliveInterval = new Option<int>("--keepalive-interval")
        {
            Description = "Seconds between unanswered keepalive probes.",
            DefaultValueFactory = _ => (int)JobServerOptions.Default.KeepAliveInterval.TotalSeconds,
        };
        var keepAliveCount = new Option<int>("--keepalive-count")
        {
            Description = "Unanswered keepalive probes before the connection is dropped.",
            DefaultValueFactory = _ => JobServerOptions.Default.KeepAliveCount,
        };

        var exceptions = new Option<bool>("--exceptions") { Description = "Send WORK_EXCEPTION to every client, not only to those that ask with OPTION_REQ." };
        var fileDescriptors = new Option<int?>("--file-descriptors", "-f")
        {
            Description = "Descriptors the server may use (it keeps some for itself and refuses connections beyond the rest); default: the open-file limit.",
        };
        var version = new Option<bool>("--version", "-V") { Description = "Print the version and exit." };

        var command = new Command("jobserver", "Run the Gearman job server (gearmand-compatible).")
        {
            port, listen, retries, queueType, database, gearmandTable, prefix, verbose, metricsPort, busyPoll, threads, logFile, pidFile, daemon, backlog,
            keepAlive, keepAliveIdle, keepAliveInterval, keepAliveCount, exceptions, fileDescriptors, version,
        };
        var gearmandOnly = new GearmandOnlyOptions();
        foreach (var option in gearmandOnly.All)
            command.Options.Add(option);
        var security = new JobServerSecurityOptions();
        foreach (var option in security.All)
            command.Options.Add(option);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (parseResult.GetValue(version))
            {
                await Console.Out.WriteLineAsync($"narada jobserver {GearmanJobServer.Version}");
                return 0;
            }
            // The detached copy checks everything below and says what is wrong; this process relays it, once.
            if (parseResult.GetValue(daemon))
            {
                // Once this process has gone, nothing reads the copy's console: without a log file its log would go
                // nowhere, so it gets one where gearmand's would be, as gearmand always logs to a file.
                string? defaultLog = parseResult.GetValue(logFile) is null ? DefaultLogPath() : null;
                int started = await Daemon.StartDetachedAsync("jobserver", ["-d", "--daemon"],
                    defaultLog is null ? [] : ["--log-file", defaultLog], cancellationToken);
                if (started == 0 && defaultLog is not null)
                    await Console.Out.WriteLineAsync($"narada jobserver: logging to {defaultLog} (no --log-file given)");
                return started;
            }
            if (gearmandOnly.Check(parseResult) is { } unsupported)
            {
                await Console.Error.WriteLineAsync(unsupported.Message);
                if (unsupported.Fatal)
                    return 2;
            }
            var addresses = new List<IPAddress>();
            foreach (var value in parseResult.GetValue(listen)!)
            {
                try
                {
                    addresses.AddRange(ListenAddresses.Resolve(value).Except(addresses));
                }
                catch (FormatException e)
                {
                    await Console.Error.WriteLineAsync($"--listen: {e.Message}");
                    return 2;
                }
            }
            string level = parseResult.GetValue(verbose)!.ToUpperInvariant();
            if (ToLogLevel(level) is not { } logLevel)
            {
                await Console.Error.WriteLineAsync($"--verbose: '{parseResult.GetValue(verbose)}' is not one of FATAL, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG");
                return 2;
            }
            bool sqlite = parseResult.GetValue(queueType)!.Contains("sqlite", StringComparison.OrdinalIgnoreCase);
            var options = new JobServerOptions
            {
                ListenAddresses = addresses,
                Port = parseResult.GetValue(port),
                JobRetries = parseResult.GetValue(retries),
                DatabasePath = sqlite ? parseResult.GetValue(database) ?? DefaultQueuePath() : null,
                GearmandQueueTable = parseResult.GetValue(gearmandTable)!,
                JobHandlePrefix = parseResult.GetValue(prefix),
                MetricsPort = parseResult.GetValue(metricsPort),
                Backlog = parseResult.GetValue(backlog),
                KeepAlive = parseResult.GetValue(keepAlive),
                KeepAliveIdle = TimeSpan.FromSeconds(parseResult.GetValue(keepAliveIdle)),
                KeepAliveInterval = TimeSpan.FromSeconds(parseResult.GetValue(keepAliveInterval)),
                KeepAliveCount = parseResult.GetValue(keepAliveCount),
                Exceptions = parseResult.GetValue(exceptions),
                FileDescriptors = parseResult.GetValue(fileDescriptors),
                BusyPoll = TimeSpan.FromMicroseconds(parseResult.GetValue(busyPoll)),
                IoThreads = parseResult.GetValue(threads),
                Verbose = level,
            };
            // Port 0 (any free port) is for embedding the server; a service names its port.
            var problem = options.Port is < 1 or > 65535 ? $"--port: {options.Port} is not from 1 to 65535" : options.Problems().FirstOrDefault();
            if (problem is not null)
            {
                await Console.Error.WriteLineAsync(problem);
                return 2;
            }
            ILoggerFactory loggerFactory;
            FileLoggerProvider? logTo;
            try
            {
                loggerFactory = ConsoleHost.Logging(logLevel, parseResult.GetValue(logFile), out logTo);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"narada jobserver: cannot open the log file: {e.Message}");
                return 1;
            }
            using var disposeLogging = loggerFactory;
            // SIGHUP reopens the log file, as gearmand does (Debian's logrotate rule sends it), instead of ending the server,
            // and reads the TLS certificates and the ACL again (a rotated certificate, an edited ACL).
            var hangups = loggerFactory.CreateLogger("Narada.JobServer");
            GearmanJobServer? serving = null;
            JobServerOptions? unsecured = null;
            using var onHangup = ConsoleHost.OnHangup(() =>
            {
                if (logTo?.Reopen() is { } why)
                    hangups.LogWarning("SIGHUP: cannot reopen the log file, logging on to the old one: {Reason}", why);
                else
                    hangups.LogInformation("SIGHUP: {What}", logTo is null ? "no log file to reopen" : "log file reopened");
                if (Volatile.Read(ref serving) is { } server && unsecured is not null)
                    ReloadSecurity(server, security.Apply(parseResult, unsecured), hangups);
            });
            unsecured = options;
            var (secured, securityError) = security.Apply(parseResult, options);
            if (secured is null)
            {
                await Console.Error.WriteLineAsync($"narada jobserver: {securityError}");
                return 2;
            }
            options = secured;
            // Written before the server starts, so a path it cannot write fails before anyone connects; a server that
            // then fails to start removes it again.
            string? pidError = null;
            using var pid = parseResult.GetValue(pidFile) is { } pidPath ? PidFile.TryWrite(pidPath, out pidError) : null;
            if (pidError is not null)
            {
                await Console.Error.WriteLineAsync($"narada jobserver: {pidError}");
                return 1;
            }
            // Ctrl-C and SIGTERM end the wait below instead of the process, so the server stops cleanly.
            return await ConsoleHost.RunUntilStoppedAsync(async stop =>
            {
                await using var server = new GearmanJobServer(options, loggerFactory);
                try
                {
                    await server.StartAsync(cancellationToken);
                }
                catch (SocketException e)
                {
                    await Console.Error.WriteLineAsync($"narada jobserver: cannot listen on {string.Join(", ", addresses.Select(a => new IPEndPoint(a, options.Port)))}: {e.Message}");
                    return 1;
                }
                catch (Exception e) when (e is InvalidDataException or System.Security.Cryptography.CryptographicException)
                {
                    await Console.Error.WriteLineAsync($"narada jobserver: TLS: {e.Message}");
                    return 1;
                }
                catch (SqliteException e)
                {
                    await Console.Error.WriteLineAsync($"narada jobserver: cannot open the queue {Path.GetFullPath(options.DatabasePath!)}: {e.Message}");
                    return 1;
                }
                Volatile.Write(ref serving, server);
                Daemon.ReportReady();
                await ConsoleHost.WaitAsync(stop);
                await server.StopAsync(CancellationToken.None);
                return 0;
            }, cancellationToken);
        });
        return command;
    }

    /// <summary>Hands the TLS and ACL files as they are now to the running server; a file that does not load is logged,
    /// and the server keeps what it has.</summary>
    private static void ReloadSecurity(GearmanJobServer server, (JobServerOptions? Options, string? Error) reread, ILogger logger)
    {
        if (reread.Options is not { } options || (options.Tls is null && options.Acl is null))
        {
            if (reread.Error is not null)
                logger.LogWarning("SIGHUP: TLS and ACL not reloaded, the running ones stay: {Reason}", reread.Error);
            return;
        }
        try
        {
            server.ReloadSecurity(options);
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or IOException or ArgumentException
            or System.Security.Cryptography.CryptographicException)
        {
            logger.LogWarning("SIGHUP: TLS and ACL not reloaded, the running ones stay: {Reason}", e.Message);
        }
    }

    private const string QueueFile = "narada-jobserver.sqlite";
    private const string LogFile = "narada-jobserver.log";

    /// <summary>
    /// Where the queue goes when <c>--libsqlite3-db</c> is not given: systemd's state directory, else the working
    /// directory, else the home directory, the first one this process can write. Debian's gearman-job-server unit runs
    /// the server as user gearman in / with no queue option, and the queue must not stop it from starting there.
    /// </summary>
    private static string DefaultQueuePath() =>
        FirstWritable(QueueFile, SystemdDirectory("STATE_DIRECTORY"), Environment.CurrentDirectory,
            Environment.GetEnvironmentVariable("HOME"));

    /// <summary>
    /// Where a detached server logs when <c>--log-file</c> is not given: systemd's logs directory, else /var/log
    /// (gearmand's default is /var/log/gearmand.log), else the working directory, else the home directory.
    /// </summary>
    private static string DefaultLogPath() =>
        Path.GetFullPath(FirstWritable(LogFile, SystemdDirectory("LOGS_DIRECTORY"), "/var/log",
            Environment.CurrentDirectory, Environment.GetEnvironmentVariable("HOME")));

    /// <summary>The first directory systemd put in <paramref name="variable"/> (a colon-separated list), if any.</summary>
    private static string? SystemdDirectory(string variable) => Environment.GetEnvironmentVariable(variable)?.Split(':')[0];

    /// <summary><paramref name="file"/> in the first of <paramref name="directories"/> this process can write; in the
    /// working directory when none can, to fail there naming it.</summary>
    private static string FirstWritable(string file, params string?[] directories)
    {
        foreach (var directory in directories)
            if (directory is { Length: > 0 } && CanWriteIn(directory))
                return Path.Combine(directory, file);
        return Path.Combine(Environment.CurrentDirectory, file);
    }

    private static bool CanWriteIn(string directory)
    {
        try
        {
            using var probe = new FileStream(Path.Combine(directory, $".narada-probe-{Environment.ProcessId}"), FileMode.CreateNew,
                FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>gearmand's verbosity names (its levels, most severe first) as log levels; null for anything else.</summary>
    private static LogLevel? ToLogLevel(string level) => level switch
    {
        "FATAL" or "ALERT" or "CRITICAL" => LogLevel.Critical,
        "ERROR" => LogLevel.Error,
        "WARNING" or "WARN" => LogLevel.Warning,
        "NOTICE" or "INFO" => LogLevel.Information,
        "DEBUG" => LogLevel.Debug,
        _ => null,
    };
}
