using System.Globalization;
using Narada.Bench.Fleet;

namespace Narada.Chaos;

/// <summary>One scenario's figures as markdown for the <c>## Reliability</c> section of bench/RESULTS.md, also echoed.</summary>
public sealed class ChaosReport(string name, string command)
{
    private readonly List<string> _lines = [];

    public string Name => name;
    public IReadOnlyList<string> Lines => _lines;

    public void Line(string text = "")
    {
        _lines.Add(text);
        Console.WriteLine(text);
    }

    public void Header(params string[] cells)
    {
        Row(cells);
        Line("|" + string.Concat(cells.Select(_ => "---|")));
    }

    public void Row(params object[] cells) =>
        Line("| " + string.Join(" | ", cells.Select(c => Convert.ToString(c, CultureInfo.InvariantCulture))) + " |");

    /// <summary>The command and the machine, first lines of every block.</summary>
    public void Preamble(FaultSchedule schedule, string load)
    {
        Line($"`{command}`, seed {schedule.Seed}");
        Line();
        Line($"{schedule.Rounds} faults, each after {schedule.MinGap.TotalSeconds:0.#}–{schedule.MaxGap.TotalSeconds:0.#} s (random) of steady load: {load}.");
        Line();
    }

    /// <summary>The closing line: machine and load, read at the end.</summary>
    public void Machine() => Line($"Machine: {BenchReport.Machine()}.");

    /// <summary>A few of what was lost (when anything was), then the closing line.</summary>
    public void End(IReadOnlyList<string> lostSample)
    {
        if (lostSample.Count > 0)
            Line($"\nlost, e.g.: {string.Join(", ", lostSample)}");
        Line();
        Machine();
    }

    /// <summary>Writes the block into RESULTS.md under <c>## Reliability</c>, leaving every other section as it was.</summary>
    public void Write() => ResultsFile.Write(RepoLayout.Results, "Reliability", name, _lines);
}
