using System.Globalization;
using System.Net;
using System.Text;
using Narada.Core.Formats;

namespace Narada.Controller.Dashboard;

/// <summary>
/// Writing the dashboard's HTML: every value encoded on the way in, status shown by colour and by a word and a shape
/// (colour-blind safe), times relative with the exact time on hover.
/// </summary>
internal sealed class Html
{
    private readonly StringBuilder _text = new();

    public Html Raw(string html)
    {
        _text.Append(html);
        return this;
    }

    public Html Text(string? text)
    {
        _text.Append(WebUtility.HtmlEncode(text ?? ""));
        return this;
    }

    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A URL path segment or query value, encoded.</summary>
    public static string U(string text) => Uri.EscapeDataString(text);

    /// <summary>The hidden field a form posted from a signed-in page carries, so another site cannot post it (CSRF).</summary>
    public static string FormToken(Access.Caller caller) => caller.FormToken is { } token
        ? $"""<input type="hidden" name="{Access.SessionNames.FormField}" value="{E(token)}">"""
        : "";

    public override string ToString() => _text.ToString();

    public static string Status(CheckStatus status, bool stale = false) => stale
        ? """<span class="status stale" title="no fresh result">◷ STALE</span>"""
        : status switch
        {
            CheckStatus.Ok => """<span class="status ok">✔ OK</span>""",
            CheckStatus.Warning => """<span class="status warning">▲ WARNING</span>""",
            CheckStatus.Critical => """<span class="status critical">✖ CRITICAL</span>""",
            _ => """<span class="status unknown">? UNKNOWN</span>""",
        };

    public static string HostBadge(bool up) => up
        ? """<span class="status ok">▲ up</span>"""
        : """<span class="status critical">▼ down</span>""";

    /// <summary>"3m ago" with the exact UTC time on hover; the page's script keeps the words current.</summary>
    public static string Time(DateTimeOffset? at)
    {
        if (at is not { } time)
            return """<span class="muted">never</span>""";
        var iso = time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return $"""<time datetime="{iso}" title="{time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)}">{Ago(time, DateTimeOffset.UtcNow)}</time>""";
    }

    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var span = now - at;
        if (span < TimeSpan.Zero)
            return "in " + Short(-span);
        return Short(span) + " ago";
    }

    public static string Short(TimeSpan span) => span.TotalSeconds < 60 ? $"{(int)span.TotalSeconds}s"
        : span.TotalMinutes < 60 ? $"{(int)span.TotalMinutes}m"
        : span.TotalHours < 48 ? $"{(int)span.TotalHours}h"
        : $"{(int)span.TotalDays}d";

    /// <summary>A small inline SVG line of <paramref name="values"/> (oldest first), or nothing for fewer than two.</summary>
    public static string Sparkline(IReadOnlyList<double> values, string label, int width = 160, int height = 32)
    {
        if (values.Count < 2)
            return """<span class="muted">not enough data yet</span>""";
        double min = values.Min(), max = values.Max();
        double range = max - min is > 0 and var r ? r : 1;
        var points = string.Join(' ', values.Select((v, i) => string.Create(CultureInfo.InvariantCulture,
            $"{i * (width - 2) / (double)(values.Count - 1) + 1:0.#},{height - 1 - (v - min) / range * (height - 2):0.#}")));
        return $"""<svg class="spark" role="img" aria-label="{E(label)}" width="{width}" height="{height}" viewBox="0 0 {width} {height}"><title>{E(label)}: {values[^1].ToString("0.###", CultureInfo.InvariantCulture)} (min {min.ToString("0.###", CultureInfo.InvariantCulture)}, max {max.ToString("0.###", CultureInfo.InvariantCulture)})</title><polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{points}"/></svg>""";
    }
}
