using System.Text;
using System.Text.Json;
using Narada.Gearman.Client;

namespace Narada.Cli.Commands.Gearman;

/// <summary>
/// Prints jobs as the gearman client does (WORK_DATA and the result to stdout, warnings and exceptions to stderr,
/// <c>Job failed</c> on failure) or, with <c>--json</c>, one JSON object per job.
/// </summary>
internal sealed class JobOutput(Stream stdout, Stream stderr, bool prefix, bool verbose, bool json)
{
    private static readonly byte[] JobFailed = "Job failed\n"u8.ToArray();

    /// <summary>Prints a job's updates as they come and its end; returns the exit code it deserves.</summary>
    public async Task<int> FollowAsync(GearmanJob job, CancellationToken cancellationToken)
    {
        if (verbose && !json)
            await WriteAsync(stderr, Encoding.UTF8.GetBytes($"Task created: {job.Handle.Handle}\n"), cancellationToken);
        var collected = json ? new MemoryStream() : null;
        JobResult result;
        try
        {
            await foreach (var update in job.Updates.WithCancellation(cancellationToken))
            {
                switch (update.Kind)
                {
                    case JobUpdateKind.Data when collected is not null:
                        collected.Write(update.Data.Span);
                        break;
                    case JobUpdateKind.Data:
                        await WriteDataAsync(job.Function, update.Data, cancellationToken);
                        break;
                    case JobUpdateKind.Warning or JobUpdateKind.Exception:
                        await WriteAsync(stderr, update.Data, cancellationToken);
                        break;
                    case JobUpdateKind.Status when verbose && !json:
                        await WriteAsync(stderr, Encoding.UTF8.GetBytes($"Status: {update.Numerator}/{update.Denominator}\n"), cancellationToken);
                        break;
                }
            }
            result = await job.Completion;
        }
        catch (TimeoutException e)
        {
            await EndAsync(job.Function, job.Handle.Handle, "timeout", Encoding.UTF8.GetBytes(e.Message), cancellationToken);
            if (!json)
                await WriteAsync(stderr, Encoding.UTF8.GetBytes($"narada: {e.Message}\n"), cancellationToken);
            return ExitCodes.JobFailed;
        }

        if (result.Outcome == JobOutcome.Completed)
        {
            if (collected is not null)
                collected.Write(result.Data.Span);
            else
                await WriteDataAsync(job.Function, result.Data, cancellationToken);
        }
        string outcome = result.Outcome switch
        {
            JobOutcome.Completed => "completed",
            JobOutcome.Exception => "exception",
            _ => "failed",
        };
        var data = collected is not null ? (result.Outcome == JobOutcome.Exception ? result.Data.ToArray() : collected.ToArray()) : default;
        await EndAsync(job.Function, job.Handle.Handle, outcome, data, cancellationToken);
        if (result.Succeeded)
            return ExitCodes.Ok;
        if (!json)
            await WriteAsync(stderr, JobFailed, cancellationToken);
        return ExitCodes.JobFailed;
    }

    /// <summary>A background job the server accepted: silent unless verbose or JSON.</summary>
    public async Task QueuedAsync(string function, JobHandle handle, CancellationToken cancellationToken)
    {
        if (verbose && !json)
            await WriteAsync(stdout, Encoding.UTF8.GetBytes($"Task created: {handle.Handle}\n"), cancellationToken);
        await EndAsync(function, handle.Handle, "queued", default, cancellationToken);
    }

    private async Task WriteDataAsync(string function, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (data.IsEmpty)
            return;
        if (prefix)
            await stdout.WriteAsync(Encoding.UTF8.GetBytes(function + ": "), cancellationToken);
        await WriteAsync(stdout, data, cancellationToken);
    }

    private async Task EndAsync(string function, string handle, string outcome, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (!json)
            return;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("function", function);
            writer.WriteString("handle", handle);
            writer.WriteString("outcome", outcome);
            writer.WriteString("data", Encoding.UTF8.GetString(data.Span));
            writer.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        await WriteAsync(stdout, buffer.ToArray(), cancellationToken);
    }

    private static async Task WriteAsync(Stream stream, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(data, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }
}
