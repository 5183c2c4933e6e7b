using System.Text.RegularExpressions;

namespace Narada.Core.Definitions;

/// <summary>
/// The series a definition keeps out of Prometheus (<c>drop:</c>): metric family names, with <c>*</c> for any run of
/// characters (<c>node_softnet_*</c>). Dropped series are neither exported on /metrics nor remote-written.
/// </summary>
public sealed partial class SeriesFilter
{
    private readonly Regex? _drop;

    private SeriesFilter(IReadOnlyList<string> patterns)
    {
        Patterns = patterns;
        _drop = patterns.Count == 0 ? null
            : new Regex("^(?:" + string.Join("|", patterns.Select(p => string.Join(".*", p.Split('*').Select(Regex.Escape)))) + ")$",
                RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    }

    public static SeriesFilter None { get; } = new([]);

    public IReadOnlyList<string> Patterns { get; }

    public bool Drops(string name) => _drop?.IsMatch(name) ?? false;

    public static SeriesFilter Of(IReadOnlyList<string> patterns) => patterns.Count == 0 ? None : new SeriesFilter(patterns);

    /// <summary>Why <paramref name="pattern"/> is no series name pattern, or null.</summary>
    public static string? Problem(string pattern) => ValidPattern().IsMatch(pattern)
        ? null
        : $"'{pattern}' is not a series name pattern: letters, digits, '_', ':' and '*' for any run of them";

    [GeneratedRegex("^[A-Za-z_:*][A-Za-z0-9_:*]*$")]
    private static partial Regex ValidPattern();
}
