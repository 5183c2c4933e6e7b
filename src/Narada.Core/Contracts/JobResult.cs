using System.Text.Json.Serialization;
using Narada.Core.Formats;

namespace Narada.Core.Contracts;

/// <summary>An agent's answer to a <see cref="JobRequest"/>: WORK_COMPLETE payload and, when asked, a <c>narada.results</c> job.</summary>
public sealed record JobResult : IEnvelope
{
    /// <summary>The <c>type</c> value that marks a result on <c>narada.results</c>.</summary>
    public const string TypeName = "result";

    [JsonRequired]
    public int V { get; set; } = Envelope.Version;

    public string Type { get; set; } = TypeName;

    public required string Id { get; init; }

    public required DefinitionKind Kind { get; init; }

    public required string Name { get; init; }

    public required string Host { get; init; }

    public required string Plugin { get; init; }

    /// <summary>0–3 on the wire, as Nagios numbers them.</summary>
    public required CheckStatus Status { get; init; }

    public string Output { get; set; } = "";

    public string LongOutput { get; set; } = "";

    public IReadOnlyList<PerfDataItem> Perfdata { get; set; } = [];

    public IReadOnlyList<SampleItem> Samples { get; set; } = [];

    /// <summary>The process exit code; null when no process ran (unknown plugin, bad parameter, built-in collector).</summary>
    public int? ExitCode { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public long? DurationMs { get; set; }

    /// <summary>Why the job could not run as asked (timeout, unknown plugin, invalid parameter); null when it ran.</summary>
    public string? Error { get; set; }

    /// <summary>Notes from parsing the plugin output (skipped perfdata items and the like).</summary>
    public IReadOnlyList<string> Notes { get; set; } = [];

    /// <summary>What the command's hooks (diagnostics its manifest declares for this status) printed; empty for none.</summary>
    public IReadOnlyList<HookOutput> Hooks { get; set; } = [];

    /// <summary>The result for <paramref name="request"/> run on <paramref name="host"/>; timings and exit code are the caller's to add with <c>with</c>.</summary>
    public static JobResult For(JobRequest request, string host, ParsedOutput output) => new()
    {
        Id = request.Id,
        Kind = request.Kind,
        Name = request.Name,
        Host = host,
        Plugin = request.Plugin,
        Status = output.Status,
        Output = output.Output,
        LongOutput = output.LongOutput,
        Perfdata = [.. output.PerfData.Select(PerfDataItem.From)],
        Samples = [.. output.Samples.Select(SampleItem.From)],
        Notes = output.Notes,
    };

    public string? FindProblem() =>
        Type != TypeName ? $"type is '{Type}', expected '{TypeName}'"
        : Kind is not (DefinitionKind.Check or DefinitionKind.Collector) ? $"kind {Kind} is neither check nor collect"
        : !Enum.IsDefined(Status) ? $"status {(int)Status} is not 0-3"
        : Perfdata.Any(p => p is null) ? "perfdata holds a null item"
        : Samples.Any(s => s is null || s.Labels.Any(l => l.Value is null)) ? "samples hold a null item or label value"
        : Notes.Any(n => n is null) ? "notes hold a null"
        : Hooks.Any(h => h is null || h.Command is null || h.Output is null) ? "hooks hold a null item"
        : null;
}

/// <summary>One hook's run: the manifest command (<c>plugin.command</c>), its exit code (null: it did not run to an
/// end, see <see cref="Output"/>) and what it printed (capped).</summary>
public sealed record HookOutput(
    [property: JsonPropertyName("command")] string Command,
    [property: JsonPropertyName("exit_code")] int? ExitCode,
    [property: JsonPropertyName("output")] string Output);
