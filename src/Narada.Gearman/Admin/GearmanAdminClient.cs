using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using Narada.Gearman.Client;
using Narada.Gearman.Tls;
using Narada.Gearman.Transport;

namespace Narada.Gearman.Admin;

/// <summary>
/// A connection speaking gearmand's text admin protocol (status, workers, show jobs, cancel job, maxqueue...). One command
/// at a time; the binary <see cref="GearmanConnection"/> cannot carry it because replies are lines, not packets.
/// </summary>
public sealed class GearmanAdminClient : IAsyncDisposable
{
    /// <summary>Longest reply line accepted; a <c>workers</c> line lists every function of a worker, so this is generous.</summary>
    public const int MaxReplyLineLength = 1 << 20;

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private bool _outOfStep;

    private GearmanAdminClient(ServerAddress server, Socket socket, Stream stream)
    {
        Server = server;
        _socket = socket;
        _stream = stream;
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
    }

    /// <summary>The server this client talks to.</summary>
    public ServerAddress Server { get; }

    /// <summary>Opens an admin connection to <paramref name="server"/>, over TLS when <paramref name="tls"/> is set and enabled.</summary>
    public static async ValueTask<GearmanAdminClient> ConnectAsync(ServerAddress server, TimeSpan? connectTimeout = null,
        GearmanTlsOptions? tls = null, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream stream;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(connectTimeout ?? TimeSpan.FromSeconds(5));
            await socket.ConnectAsync(server.Host, server.Port, timeout.Token);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (tls is { Enabled: true })
                stream = await TlsClientHandshake.AuthenticateAsync(stream, server, tls, timeout.Token);
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            socket.Dispose();
            throw new GearmanConnectionException(server, "cannot connect: " + e.Message, e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new GearmanAdminClient(server, socket, stream);
    }

    /// <summary><c>status</c>: per function, jobs (queued plus running), running jobs and available workers.</summary>
    public async ValueTask<IReadOnlyList<FunctionStatus>> GetStatusAsync(CancellationToken cancellationToken = default) =>
        Parse(await CommandAsync(AdminCommands.Status.Name, cancellationToken), AdminReplyParser.Status);

    /// <summary><c>prioritystatus</c>: per function, queued jobs by priority and available workers.</summary>
    public async ValueTask<IReadOnlyList<FunctionPriorityStatus>> GetPriorityStatusAsync(CancellationToken cancellationToken = default) =>
        Parse(await CommandAsync(AdminCommands.PriorityStatus.Name, cancellationToken), AdminReplyParser.PriorityStatus);

    /// <summary><c>workers</c>: every connection (clients included) with its registered functions.</summary>
    public async ValueTask<IReadOnlyList<WorkerInfo>> GetWorkersAsync(CancellationToken cancellationToken = default) =>
        Parse(await CommandAsync(AdminCommands.Workers.Name, cancellationToken), AdminReplyParser.Worker);

    /// <summary><c>show jobs</c>: every job the server holds.</summary>
    public async ValueTask<IReadOnlyList<QueuedJob>> ShowJobsAsync(CancellationToken cancellationToken = default) =>
        Parse(await CommandAsync(AdminCommands.ShowJobs.Name, cancellationToken), AdminReplyParser.Job);

    /// <summary><c>show unique jobs</c>: the unique key of every job that has one.</summary>
    public async ValueTask<IReadOnlyList<string>> ShowUniqueJobsAsync(CancellationToken cancellationToken = default) =>
        await CommandAsync(AdminCommands.ShowUniqueJobs.Name, cancellationToken);

    /// <summary><c>version</c>: the server's version string.</summary>
    public async ValueTask<string> GetVersionAsync(CancellationToken cancellationToken = default) =>
        AdminReplyParser.Ok("version", await CommandAsync(AdminCommands.Version.Name, cancellationToken));

    /// <summary><c>getpid</c>: the server's process id.</summary>
    public async ValueTask<int> GetPidAsync(CancellationToken cancellationToken = default)
    {
        var text = AdminReplyParser.Ok("getpid", await CommandAsync(AdminCommands.GetPid.Name, cancellationToken));
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            ? pid
            : throw new GearmanAdminReplyException("getpid", "OK " + text, "expected OK <pid>");
    }

    /// <summary><c>verbose</c>: the server's log level name (e.g. <c>ERROR</c>).</summary>
    public async ValueTask<string> GetVerboseAsync(CancellationToken cancellationToken = default) =>
        AdminReplyParser.Ok("verbose", await CommandAsync(AdminCommands.Verbose.Name, cancellationToken));

    /// <summary><c>cancel job H</c>: true when the server accepted (gearmand 1.1 flags the job to be ignored and keeps
    /// listing it), false when it did not know the handle.</summary>
    public async ValueTask<bool> CancelJobAsync(string handle, CancellationToken cancellationToken = default)
    {
        var reply = await CommandAsync($"{AdminCommands.CancelJob.Name} {Word(handle, nameof(handle))}", cancellationToken);
        if (reply is ["ERR UNKNOWN_JOB" or "ERR UNKNOWN_JOB "])
            return false;
        AdminReplyParser.Ok("cancel job", reply);
        return true;
    }

    /// <summary><c>maxqueue F high normal low</c>: caps the queue of each priority of a function (0 = no limit).</summary>
    public async ValueTask SetMaxQueueAsync(string function, int high, int normal, int low, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(high);
        ArgumentOutOfRangeException.ThrowIfNegative(normal);
        ArgumentOutOfRangeException.ThrowIfNegative(low);
        var line = string.Create(CultureInfo.InvariantCulture, $"{AdminCommands.MaxQueue.Name} {Word(function, nameof(function))} {high} {normal} {low}");
        AdminReplyParser.Ok("maxqueue", await CommandAsync(line, cancellationToken));
    }

    /// <summary><c>create function F</c>.</summary>
    public async ValueTask CreateFunctionAsync(string function, CancellationToken cancellationToken = default) =>
        AdminReplyParser.Ok("create function", await CommandAsync($"{AdminCommands.CreateFunction.Name} {Word(function, nameof(function))}", cancellationToken));

    /// <summary><c>drop function F</c>; gearmand refuses (ERR) a function it does not know or that has workers.</summary>
    public async ValueTask DropFunctionAsync(string function, CancellationToken cancellationToken = default) =>
        AdminReplyParser.Ok("drop function", await CommandAsync($"{AdminCommands.DropFunction.Name} {Word(function, nameof(function))}", cancellationToken));

    /// <summary>Sends any one command line and returns the reply lines as sent (without the closing <c>.</c> of list replies).</summary>
    public ValueTask<IReadOnlyList<string>> SendAsync(string line, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(line);
        if (line.AsSpan().IndexOfAny('\r', '\n') >= 0)
            throw new ArgumentException("a command is one line", nameof(line));
        return CommandAsync(line, cancellationToken, raw: true);
    }

    private async ValueTask<IReadOnlyList<string>> CommandAsync(string line, CancellationToken cancellationToken, bool raw = false)
    {
        bool multiLine = IsMultiLine(line);
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            // A command cut short leaves its reply unread: nothing after it could be matched to its command.
            if (_outOfStep)
                throw new GearmanConnectionException(Server, "an earlier command was interrupted mid-reply; reconnect");
            _outOfStep = true;
            // CRLF as gearadmin and telnet send it: gearmand 1.1 cuts two bytes off the name in "create function F\n".
            await _stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"), cancellationToken);
            var lines = new List<string>();
            while (true)
            {
                var reply = await ReadLineAsync(cancellationToken);
                if (!multiLine)
                {
                    lines.Add(reply);
                    break;
                }
                if (reply == ".")
                    break;
                if (lines.Count == 0 && reply.StartsWith("ERR", StringComparison.Ordinal))
                {
                    lines.Add(reply);
                    break;
                }
                lines.Add(reply);
            }
            if (!raw && multiLine && lines is [var only] && only.StartsWith("ERR", StringComparison.Ordinal))
            {
                _outOfStep = false;
                AdminReplyParser.ThrowIfError(only);
            }
            _outOfStep = false;
            return lines;
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            throw new GearmanConnectionException(Server, "admin connection failed: " + e.Message, e);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async ValueTask<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var end = buffer.PositionOf((byte)'\n');
            if (end is { } newline)
            {
                var lineBytes = buffer.Slice(0, newline);
                string line = Encoding.UTF8.GetString(lineBytes).TrimEnd('\r');
                _reader.AdvanceTo(buffer.GetPosition(1, newline));
                return line;
            }
            if (buffer.Length > MaxReplyLineLength)
                throw new GearmanAdminReplyException("?", Encoding.UTF8.GetString(buffer.Slice(0, 80)) + "...",
                    $"line longer than {MaxReplyLineLength} bytes");
            if (result.IsCompleted)
                throw new GearmanConnectionException(Server, "server closed the admin connection");
            _reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    // A list reply is read to its "." line; a command the table does not know is answered with one line (ERR).
    private static bool IsMultiLine(string line) => AdminCommands.Find(line)?.Command.Reply == AdminReplyShape.List;

    private static IReadOnlyList<T> Parse<T>(IReadOnlyList<string> lines, Func<string, T> parse)
    {
        var items = new T[lines.Count];
        for (int i = 0; i < items.Length; i++)
            items[i] = parse(lines[i]);
        return items;
    }

    private static string Word(string value, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, name);
        if (value.AsSpan().IndexOfAny(" \t\r\n") >= 0)
            throw new ArgumentException("must not contain whitespace", name);
        return value;
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync();
        try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
        await _stream.DisposeAsync();
        _oneAtATime.Dispose();
    }
}
