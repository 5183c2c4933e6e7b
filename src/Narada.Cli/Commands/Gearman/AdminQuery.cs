using System.Text;
using System.Text.Json;
using Narada.Gearman.Admin;
using Narada.Gearman.Client;
using Narada.Gearman.Transport;

namespace Narada.Cli.Commands.Gearman;

/// <summary>
/// One admin command as <c>narada admin</c> runs it: gearadmin's text (the server's reply lines, the <c>.</c> of list
/// replies included; <c>Error: ...</c> on stderr for an ERR reply) or JSON from the typed admin client.
/// </summary>
internal static class AdminQuery
{
    /// <summary>Runs a command; text mode writes to <paramref name="text"/>, JSON mode to <paramref name="json"/>.</summary>
    public delegate Task Run(GearmanAdminClient admin, string? argument, TextWriter? text, Utf8JsonWriter? json, CancellationToken cancellationToken);

    public static async Task<int> RunAsync(ServerAddress server, Run query, string? argument, bool asJson, CancellationToken cancellationToken,
        Narada.Gearman.Tls.GearmanTlsOptions? tls = null)
    {
        GearmanAdminClient admin;
        try
        {
            admin = await GearmanAdminClient.ConnectAsync(server, tls: tls, cancellationToken: cancellationToken);
        }
        catch (GearmanConnectionException e)
        {
            await Console.Error.WriteLineAsync($"narada admin: cannot connect to job server {server}: {e.Message}");
            return ExitCodes.CannotConnect;
        }
        await using (admin)
        {
            try
            {
                if (!asJson)
                {
                    await query(admin, argument, Console.Out, null, cancellationToken);
                    return ExitCodes.Ok;
                }
                using var buffer = new MemoryStream();
                await using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                    await query(admin, argument, null, writer, cancellationToken);
                await Console.Out.WriteLineAsync(Encoding.UTF8.GetString(buffer.ToArray()));
                return ExitCodes.Ok;
            }
            catch (GearmanServerException e)
            {
                // gearadmin prints the text after ERR as the server sent it
                await Console.Error.WriteLineAsync(e.ServerMessage.Length == 0 ? $"Error: {e.Code}" : $"Error: {e.Code} {e.ServerMessage}");
                return ExitCodes.JobFailed;
            }
            catch (GearmanAdminReplyException e)
            {
                await Console.Error.WriteLineAsync($"narada admin: {e.Message}");
                return ExitCodes.JobFailed;
            }
            catch (GearmanConnectionException e)
            {
                await Console.Error.WriteLineAsync($"narada admin: {e.Message}");
                return ExitCodes.CannotConnect;
            }
        }
    }

    public static Task Status(GearmanAdminClient admin, string? _, TextWriter? text, Utf8JsonWriter? json, CancellationToken ct) =>
        text is not null ? ListAsync(admin, "status", text, ct) : WriteArrayAsync(json!, admin.GetStatusAsync(ct), (w, s) =>
        {
            w.WriteString("function", s.Function);
            w.WriteNumber("total", s.Total);
            w.WriteNumber("running", s.Running);
            w.WriteNumber("workers", s.AvailableWorkers);
        });

    public static Task PriorityStatus(GearmanAdminClient admin, string? _, TextWriter? text, Utf8JsonWriter? json, CancellationToken ct) =>
        text is not null ? ListAsync(admin, "prioritystatus", text, ct) : WriteArrayAsync(json!, admin.GetPriorityStatusAsync(ct), (w, s) =>
        {
            w.WriteString("function", s.Function);
            w.WriteNumber("high", s.High);
            w.WriteNumber("normal", s.Normal);
            w.WriteNumber("low", s.Low);
            w.WriteNumber("workers", s.AvailableWorkers);
        });

    public static Task Workers(GearmanAdminClient admin, string? _, TextWriter? text, Utf8JsonWriter? json, CancellationToken ct) =>
        text is not null ? ListAsync(admin, "workers", text, ct) : WriteArrayAsync(json!, admin.GetWorkersAsync(ct), (w, s) =>
        {
            w.WriteNumber("fd", s.Fd);
            w.WriteString("address", s.Address);
            w.WriteString("client_id", s.ClientId);
            w.WriteStartArray("functions");
            foreach (var f in s.Functions)
                w.WriteStringValue(f);
            w.WriteEndArray();
        });

    public static Task ShowJobs(GearmanAdminClient admin, string? _, TextWriter? text, Utf8JsonWriter? json, CancellationToken ct) =>
        text is not null ? ListAsync(admin, "show jobs", text, ct) : WriteArrayAsync(json!, admin.ShowJobsAsync(ct), (w, s) =>
        {
            w.WriteString("handle", s.Handle);
            w.WriteNumber("retries", s.Retries);
            w.WriteBoolean("ignored", s.Ignored);
            w.WriteBoolean("queued", s.Queued);
        });

    public static async Task ShowUniqueJobs(GearmanAdminClient admin, string? _, TextWriter? text, Utf8JsonWriter? json, CancellationToken ct)
    {
        if (text is not null)
        {
            await ListAsync(admin, "show unique jobs", text, ct);
            return;
        }
        json!.WriteStartArray();
        foreach (var unique in await admin.ShowUniqueJobsAsync(ct))
            json.WriteStringValue(unique);
        json.WriteEndArray();
    }

    public static async Task Version(GearmanAdminClient admin, string? _, TextWriter? text, Utf8JsonWriter? json, CancellationToken ct) =>
        Single(text, json, "version", await admin.GetVersionAsync(ct));

    public static async Task GetPid(GearmanAdminClient admin, string? _, TextWriter? text, Utf8JsonWriter? json, CancellationToken ct)
    {
        int pid = await admin.GetPidAsync(ct);
        if (text is not null)
            await text.WriteLineAsync(pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        else
            WriteObject(json!, w => w.WriteNumber("pid", pid));
    }

    public static async Task CancelJob(GearmanAdminClient admin, string? handle, TextWriter? text, Utf8JsonWriter? json, CancellationToken ct)
    {
        if (!await admin.CancelJobAsync(handle!, ct))
            throw new GearmanServerException("UNKNOWN_JOB", "");
        Done(text, json);
    }

    public static async Task CreateFunction(GearmanAdminClient admin, string? function, TextWriter? text, Utf8JsonWriter? json, CancellationToken ct)
    {
        await admin.CreateFunctionAsync(function!, ct);
        Done(text, json);
    }

    public static async Task DropFunction(GearmanAdminClient admin, string? function, TextWriter? text, Utf8JsonWriter? json, CancellationToken ct)
    {
        await admin.DropFunctionAsync(function!, ct);
        Done(text, json);
    }

    /// <summary>Prints a list reply as gearadmin does: the lines as sent, then the closing dot.</summary>
    private static async Task ListAsync(GearmanAdminClient admin, string command, TextWriter text, CancellationToken ct)
    {
        var lines = await admin.SendAsync(command, ct);
        if (lines is [var only] && only.StartsWith("ERR", StringComparison.Ordinal))
        {
            var rest = only.Length > 4 ? only[4..] : "";
            int space = rest.IndexOf(' ');
            throw new GearmanServerException(space < 0 ? rest : rest[..space], space < 0 ? "" : rest[(space + 1)..]);
        }
        foreach (var line in lines)
            await text.WriteLineAsync(line);
        await text.WriteLineAsync(".");
    }

    private static async Task WriteArrayAsync<T>(Utf8JsonWriter json, ValueTask<IReadOnlyList<T>> items, Action<Utf8JsonWriter, T> write)
    {
        json.WriteStartArray();
        foreach (var item in await items)
            WriteObject(json, w => write(w, item));
        json.WriteEndArray();
    }

    private static void WriteObject(Utf8JsonWriter json, Action<Utf8JsonWriter> write)
    {
        json.WriteStartObject();
        write(json);
        json.WriteEndObject();
    }

    private static void Single(TextWriter? text, Utf8JsonWriter? json, string name, string value)
    {
        if (text is not null)
            text.WriteLine(value);
        else
            WriteObject(json!, w => w.WriteString(name, value));
    }

    private static void Done(TextWriter? text, Utf8JsonWriter? json)
    {
        if (text is not null)
            text.WriteLine("OK");
        else
            WriteObject(json!, w => w.WriteBoolean("ok", true));
    }
}
