using System.Text;

namespace Narada.Bench.Report;

/// <summary>A table printed the same way to the console and into RESULTS.md: GitHub markdown, columns padded.</summary>
public sealed class MarkdownTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells)
    {
        if (cells.Length != headers.Length)
            throw new ArgumentException($"{cells.Length} cells for {headers.Length} columns");
        _rows.Add(cells);
    }

    public override string ToString()
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        var sb = new StringBuilder();
        Line(sb, headers, widths);
        sb.Append('|');
        foreach (var w in widths)
            sb.Append(new string('-', w + 2)).Append('|');
        sb.Append('\n');
        foreach (var row in _rows)
            Line(sb, row, widths);
        return sb.ToString();
    }

    private static void Line(StringBuilder sb, string[] cells, int[] widths)
    {
        sb.Append('|');
        for (int i = 0; i < cells.Length; i++)
            sb.Append(' ').Append(cells[i].PadRight(widths[i])).Append(" |");
        sb.Append('\n');
    }
}
