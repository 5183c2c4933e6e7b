using System.Globalization;
using Narada.Gearman.Client;

namespace Narada.Gearman.Admin;

/// <summary>Turns text admin reply lines into records; anything off-shape is a <see cref="GearmanAdminReplyException"/> naming the line.</summary>
internal static class AdminReplyParser
{
    public static FunctionStatus Status(string line)
    {
        var f = Fields(line, "status", 4, "function TAB total TAB running TAB workers");
        return new FunctionStatus(f[0], Count(f[1], "status", line), Count(f[2], "status", line), Count(f[3], "status", line));
    }

    public static FunctionPriorityStatus PriorityStatus(string line)
    {
        const string cmd = "prioritystatus";
        var f = Fields(line, cmd, 5, "function TAB high TAB normal TAB low TAB workers");
        return new FunctionPriorityStatus(f[0], Count(f[1], cmd, line), Count(f[2], cmd, line), Count(f[3], cmd, line), Count(f[4], cmd, line));
    }

    /// <summary>Parses <c>fd address client-id : function function...</c>.</summary>
    public static WorkerInfo Worker(string line)
    {
        const string shape = "fd address client-id : functions";
        int firstSpace = line.IndexOf(' ');
        int secondSpace = firstSpace < 0 ? -1 : line.IndexOf(' ', firstSpace + 1);
        int colon = secondSpace < 0 ? -1 : line.IndexOf(" :", secondSpace, StringComparison.Ordinal);
        if (colon < 0 || colon <= secondSpace || (colon + 2 < line.Length && line[colon + 2] != ' ')
            || !int.TryParse(line.AsSpan(0, firstSpace), NumberStyles.None, CultureInfo.InvariantCulture, out int fd))
            throw new GearmanAdminReplyException("workers", line, shape);
        string address = line[(firstSpace + 1)..secondSpace];
        string clientId = line[(secondSpace + 1)..colon];
        string[] functions = colon + 2 < line.Length
            ? line[(colon + 3)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : [];
        return new WorkerInfo(fd, address, clientId, functions);
    }

    public static QueuedJob Job(string line)
    {
        const string cmd = "show jobs";
        var f = Fields(line, cmd, 4, "handle TAB retries TAB ignore TAB queued");
        return new QueuedJob(f[0], (int)Math.Min(int.MaxValue, Count(f[1], cmd, line)), Count(f[2], cmd, line) != 0, Count(f[3], cmd, line) != 0);
    }

    /// <summary>The text after <c>OK </c> in a one-line reply; an <c>ERR</c> line becomes a <see cref="GearmanServerException"/>.</summary>
    public static string Ok(string command, IReadOnlyList<string> reply)
    {
        if (reply.Count != 1)
            throw new GearmanAdminReplyException(command, string.Join("\\n", reply), "expected one line");
        string line = reply[0];
        ThrowIfError(line);
        if (line == "OK")
            return "";
        if (!line.StartsWith("OK ", StringComparison.Ordinal))
            throw new GearmanAdminReplyException(command, line, "expected OK or ERR");
        return line[3..];
    }

    /// <summary>Turns <c>ERR CODE url+encoded+text</c> into a <see cref="GearmanServerException"/>.</summary>
    public static void ThrowIfError(string line)
    {
        if (line != "ERR" && !line.StartsWith("ERR ", StringComparison.Ordinal))
            return;
        var rest = line.Length > 4 ? line[4..] : "";
        int space = rest.IndexOf(' ');
        string code = space < 0 ? rest : rest[..space];
        string text = space < 0 ? "" : rest[(space + 1)..];
        throw new GearmanServerException(code, Uri.UnescapeDataString(text.Replace('+', ' ')));
    }

    private static string[] Fields(string line, string command, int count, string shape)
    {
        var fields = line.Split('\t');
        if (fields.Length != count || fields[0].Length == 0)
            throw new GearmanAdminReplyException(command, line, $"expected {shape}");
        return fields;
    }

    private static long Count(string field, string command, string line) =>
        long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out long n)
            ? n
            : throw new GearmanAdminReplyException(command, line, $"'{field}' is not a count");
}
