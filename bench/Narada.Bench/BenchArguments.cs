using System.Globalization;

namespace Narada.Bench;

/// <summary>The command line of one benchmark: <c>--name value</c> options and bare <c>--flag</c> switches.</summary>
public sealed class BenchArguments
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    public BenchArguments(IEnumerable<string> args)
    {
        var list = args.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            var arg = list[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"unexpected argument '{arg}' (options are --name value)");
            var name = arg[2..];
            int eq = name.IndexOf('=');
            if (eq >= 0)
                _values[name[..eq]] = name[(eq + 1)..];
            else if (i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal))
                _values[name] = list[++i];
            else
                _values[name] = null;
        }
        Text = string.Join(' ', list);
    }

    /// <summary>The options as given, for the report.</summary>
    public string Text { get; }

    /// <summary>True when <c>--name</c> was given.</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var v) && v is not null ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        _values.TryGetValue(name, out var v) && v is not null ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public string? String(string name) => _values.TryGetValue(name, out var v) ? v : null;

    /// <summary>Environment for Narada's server process from <c>--narada-env NAME=VALUE[,NAME=VALUE]</c>; null when not given.</summary>
    public IReadOnlyDictionary<string, string>? NaradaEnvironment =>
        String("narada-env") is { } text
            ? text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(pair => pair.Split('=', 2))
                .ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "")
            : null;

    /// <summary>The server's <c>--busy-poll</c> in microseconds from <c>--busy-poll N</c>; null keeps its default.</summary>
    public int? BusyPoll => Has("busy-poll") ? Int("busy-poll", 0) : null;

    /// <summary>A comma-separated list of integers such as <c>--in-flight 64,256</c>.</summary>
    public int[] Ints(string name, int[] fallback) =>
        _values.TryGetValue(name, out var v) && v is not null
            ? v.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray()
            : fallback;
}
