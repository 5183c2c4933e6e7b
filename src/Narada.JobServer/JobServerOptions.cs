using System.Net;
using Narada.Gearman.Protocol;
using Narada.Gearman.Transport;

namespace Narada.JobServer;

/// <summary>How a <see cref="JobServer"/> listens, persists and limits; option names follow gearmand's where the meaning is the same.</summary>
public sealed record JobServerOptions
{
    /// <summary>
    /// Addresses to listen on, all on <see cref="Port"/> (gearmand <c>-L/--listen</c>, which listens on every address
    /// its host name resolves to); loopback unless told otherwise.
    /// </summary>
    public IReadOnlyList<IPAddress> ListenAddresses { get; init; } = [IPAddress.Loopback];

    /// <summary>TCP port (gearmand <c>-p/--port</c>); 0 picks a free port, see <see cref="JobServer.Endpoint"/>.</summary>
    public int Port { get; init; } = 4730;

    /// <summary>Connections the kernel queues before they are accepted (gearmand <c>-b/--backlog</c>, whose default is
    /// 32; a larger queue rides out a fleet of agents reconnecting at once).</summary>
    public int Backlog { get; init; } = 1024;

    /// <summary>
    /// TCP keepalive on every accepted connection (gearmand <c>--keepalive</c>, off there by default). On here: a worker
    /// whose host lost power sends no FIN, and without probes the server would hold the job it was running until the
    /// connection is used again, which for a sleeping worker is never. With the defaults such a peer is dropped, and
    /// its job requeued, about <see cref="KeepAliveIdle"/> + <see cref="KeepAliveCount"/> × <see cref="KeepAliveInterval"/>
    /// after it went silent.
    /// </summary>
    public bool KeepAlive { get; init; } = true;

    /// <summary>Silence before the first probe (gearmand <c>--keepalive-idle</c>).</summary>
    public TimeSpan KeepAliveIdle { get; init; } = TcpKeepAlive.DefaultIdle;

    /// <summary>Time between unanswered probes (gearmand <c>--keepalive-interval</c>).</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TcpKeepAlive.DefaultInterval;

    /// <summary>Unanswered probes before the connection is dropped (gearmand <c>--keepalive-count</c>).</summary>
    public int KeepAliveCount { get; init; } = TcpKeepAlive.DefaultProbes;

    /// <summary>Every client gets WORK_EXCEPTION without asking (gearmand <c>--exceptions</c>); by default only clients
    /// that sent OPTION_REQ "exceptions" do, and the others get WORK_FAIL.</summary>
    public bool Exceptions { get; init; }

    /// <summary>Attempts before a job whose workers keep disappearing is failed (gearmand <c>-j/--job-retries</c>); 0 = unlimited.</summary>
    public int JobRetries { get; init; }

    /// <summary>SQLite file of the persistent background queue (<c>--libsqlite3-db</c>); null keeps jobs in memory only.</summary>
    public string? DatabasePath { get; init; }

    /// <summary>
    /// gearmand's libsqlite3 queue table in the same file (<c>--libsqlite3-table</c>, gearmand's default
    /// <c>gearman_queue</c>): its background jobs are moved into Narada's queue when the server starts, so a gearmand
    /// replaced in place loses none of the jobs it had queued. A letter or underscore, then letters, digits or underscores.
    /// </summary>
    public string GearmandQueueTable { get; init; } = "gearman_queue";

    /// <summary>
    /// What is wrong with these options, each named by the gearmand option that sets it (<c>--port: 70000 is not from 1
    /// to 65535</c>); empty when they can be served. <see cref="JobServer.StartAsync"/> refuses options with a problem.
    /// </summary>
    public IEnumerable<string> Problems()
    {
        // Port 0 (a free port) is for embedding and tests; --port on the command line names a real one.
        if (OutOfRange("--port", Port, 0, 65535) is { } port) yield return port;
        if (OutOfRange("--metrics-port", MetricsPort, 1, 65535) is { } metrics) yield return metrics;
        if (OutOfRange("--busy-poll", (long)BusyPoll.TotalMicroseconds, 0, 10_000, " microseconds") is { } poll) yield return poll;
        if (OutOfRange("--threads", IoThreads, 0, 64) is { } threads) yield return threads;
        if (OutOfRange("--backlog", Backlog, 1, 65535) is { } backlog) yield return backlog;
        if (OutOfRange("--file-descriptors", FileDescriptors, 1, int.MaxValue) is { } descriptors) yield return descriptors;
        // Linux's own limits for TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT
        if (OutOfRange("--keepalive-idle", (long)KeepAliveIdle.TotalSeconds, 1, 32767, " seconds") is { } idle) yield return idle;
        if (OutOfRange("--keepalive-interval", (long)KeepAliveInterval.TotalSeconds, 1, 32767, " seconds") is { } interval) yield return interval;
        if (OutOfRange("--keepalive-count", KeepAliveCount, 1, 127) is { } count) yield return count;
        if (JobRetries < 0) yield return $"--job-retries: {JobRetries} is negative (0 means unlimited)";
        if (!IsTableName(GearmandQueueTable))
            yield return $"--libsqlite3-table: '{GearmandQueueTable}' is not a table name (a letter or _, then letters, digits or _)";
    }

    private static string? OutOfRange(string option, long? value, long min, long max, string unit = "") =>
        value is { } n && (n < min || n > max) ? $"{option}: {n} is not from {min} to {max}{unit}" : null;

    /// <summary>True when <paramref name="name"/> can be <see cref="GearmandQueueTable"/>: a letter or underscore, then
    /// letters, digits or underscores.</summary>
    public static bool IsTableName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>Job handle prefix (<c>--job-handle-prefix</c>); handles are <c>prefix:n</c>. Default <c>H:&lt;hostname&gt;</c>.</summary>
    public string? JobHandlePrefix { get; init; }

    /// <summary>Loopback HTTP port serving <c>/metrics</c>; null for none.</summary>
    public int? MetricsPort { get; init; }

    /// <summary>Level reported by the admin <c>verbose</c> command (gearmand <c>--verbose</c>).</summary>
    public string Verbose { get; init; } = "ERROR";

    /// <summary>Unsent bytes a connection may accumulate before it is considered a peer that stopped reading and is cut off.</summary>
    public int MaxOutboundBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Descriptors the server may use (gearmand <c>-f/--file-descriptors</c>); null: the process's open-file
    /// limit. Connections are refused beyond what this leaves after what is open at start and a reserve.</summary>
    public int? FileDescriptors { get; init; }

    /// <summary>Open connections beyond this are refused at accept.</summary>
    public int MaxConnections { get; init; } = 100_000;

    /// <summary>
    /// The longest an I/O loop keeps polling for more packets after a busy moment before it sleeps (Linux, plain
    /// connections). Pipelined peers' next packets then find it awake, which saves both sides a wake-up; the poll
    /// shrinks to nothing while it finds nothing, so a quiet server sleeps. Zero never polls: the least CPU, at some
    /// cost in rate and latency under load.
    /// </summary>
    public TimeSpan BusyPoll { get; init; } = TimeSpan.FromMicroseconds(50);

    /// <summary>
    /// I/O loops that read and write plain connections (gearmand <c>-t/--threads</c>); 0 picks one per four cores, at
    /// least one and at most eight (<see cref="IoLoopCount"/>). Connections are dealt out among the loops. The job
    /// tables sit behind one lock, so a loop beyond what the traffic needs adds polling, wake-ups and lock traffic
    /// rather than rate: on two cores shared with the load, one loop turned each server CPU-second into about 1.5× the
    /// jobs two loops did (bench/RESULTS.md).
    /// </summary>
    public int IoThreads { get; init; }

    /// <summary>How many I/O loops <see cref="IoThreads"/> means on this machine.</summary>
    public int IoLoopCount => IoThreads > 0 ? IoThreads : Math.Clamp(Environment.ProcessorCount / 4, 1, 8);

    /// <summary>TLS on the Gearman port (server certificate, client certificates); null listens in plain TCP.</summary>
    public Security.TlsServerOptions? Tls { get; init; }

    /// <summary>Who may register, submit to and administer what; null allows everything (gearmand's behaviour).</summary>
    public Security.AclPolicy? Acl { get; init; }

    /// <summary>Frame size limits.</summary>
    public PacketLimits Limits { get; init; } = PacketLimits.Default;

    /// <summary>Loopback:4730, memory only.</summary>
    public static JobServerOptions Default { get; } = new();
}
