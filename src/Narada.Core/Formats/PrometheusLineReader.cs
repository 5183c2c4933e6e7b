using System.Text;

namespace Narada.Core.Formats;

/// <summary>A cursor over one line of Prometheus text that knows its tokens and reports errors with the line number.</summary>
internal ref struct PrometheusLineReader(string line, int lineNumber)
{
    private readonly string _line = line;

    public int Position { get; set; }

    public readonly bool AtEnd => Position >= _line.Length;

    public readonly char Peek => AtEnd ? '\0' : _line[Position];

    /// <summary>Skips blanks and tabs; true when there was at least one.</summary>
    public bool SkipBlanks()
    {
        var start = Position;
        while (!AtEnd && _line[Position] is ' ' or '\t')
            Position++;
        return Position > start;
    }

    /// <summary>Everything up to the next blank.</summary>
    public string Token()
    {
        var start = Position;
        while (!AtEnd && _line[Position] is not (' ' or '\t'))
            Position++;
        return _line[start..Position];
    }

    public string Rest()
    {
        var rest = _line[Position..];
        Position = _line.Length;
        return rest;
    }

    public string MetricName()
    {
        var start = Position;
        while (!AtEnd && (char.IsAsciiLetterOrDigit(_line[Position]) || _line[Position] is '_' or ':'))
            Position++;
        var name = _line[start..Position];
        if (!Formats.MetricName.IsValid(name))
            throw Error(name.Length == 0 ? "expected a metric name" : $"'{name}' is not a valid metric name");
        return name;
    }

    public string LabelName()
    {
        var start = Position;
        while (!AtEnd && (char.IsAsciiLetterOrDigit(_line[Position]) || _line[Position] == '_'))
            Position++;
        var name = _line[start..Position];
        if (!Formats.MetricName.IsValidLabel(name))
            throw Error(name.Length == 0 ? "expected a label name" : $"'{name}' is not a valid label name");
        return name;
    }

    public void Expect(char c)
    {
        if (Peek != c)
            throw Error($"expected '{c}'");
        Position++;
    }

    /// <summary>A double-quoted label value with the escapes \\, \" and \n.</summary>
    public string QuotedValue()
    {
        Expect('"');
        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd)
                throw Error("label value is not closed with '\"'");
            var c = _line[Position++];
            if (c == '"')
                return sb.ToString();
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }
            if (AtEnd)
                throw Error("label value ends in a lone backslash");
            var escaped = _line[Position++];
            sb.Append(escaped switch
            {
                '\\' => '\\',
                '"' => '"',
                'n' => '\n',
                _ => throw Error($"invalid escape '\\{escaped}' in a label value"),
            });
        }
    }

    public readonly MetricFormatException Error(string reason) => new(PrometheusTextParser.FormatName, lineNumber, reason);
}
