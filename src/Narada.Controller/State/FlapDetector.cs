namespace Narada.Controller.State;

/// <summary>
/// Nagios' flap detection: the last 21 results, state changes among them weighted from 0.75 (oldest) to 1.25
/// (newest); flapping starts at or above the high threshold and stops below the low one.
/// </summary>
public sealed class FlapDetector
{
    /// <summary>How many results the detector remembers (Nagios' MAX_STATE_HISTORY_ENTRIES).</summary>
    public const int HistorySize = 21;

    private const double LowCurve = 0.75;
    private const double HighCurve = 1.25;
    // The last 21 states, two bits each (statuses are 0-3), in one word rather than an array: a controller keeps one
    // detector per check, a million of them at 100,000 hosts.
    private ulong _history;
    private int _next;
    private int _count;

    public FlapDetector(double lowThreshold = 5.0, double highThreshold = 20.0)
    {
        if (lowThreshold < 0 || highThreshold > 100 || lowThreshold > highThreshold)
            throw new ArgumentOutOfRangeException(nameof(lowThreshold), "need 0 <= low <= high <= 100");
        LowThreshold = lowThreshold;
        HighThreshold = highThreshold;
    }

    public double LowThreshold { get; }
    public double HighThreshold { get; }

    /// <summary>Weighted percentage of state changes over the remembered results.</summary>
    public double PercentStateChange { get; private set; }

    public bool IsFlapping { get; private set; }

    /// <summary>Records one result's state and returns whether flapping started (+1), stopped (-1) or neither (0).</summary>
    public int Record(int state)
    {
        Set(_next, state);
        _next = (_next + 1) % HistorySize;
        _count = Math.Min(_count + 1, HistorySize);
        PercentStateChange = Compute();

        // Nagios only judges once the history is full, so a new check does not flap on its first results.
        if (_count < HistorySize)
            return 0;
        if (!IsFlapping && PercentStateChange >= HighThreshold)
        {
            IsFlapping = true;
            return 1;
        }
        if (IsFlapping && PercentStateChange < LowThreshold)
        {
            IsFlapping = false;
            return -1;
        }
        return 0;
    }

    private int Get(int slot) => (int)(_history >> (2 * slot)) & 3;

    private void Set(int slot, int state) =>
        _history = (_history & ~(3UL << (2 * slot))) | ((ulong)(state & 3) << (2 * slot));

    private double Compute()
    {
        int oldest = _count < HistorySize ? 0 : _next;
        double changes = 0;
        for (int x = 1; x < _count; x++)
        {
            int previous = Get((oldest + x - 1) % HistorySize);
            int current = Get((oldest + x) % HistorySize);
            if (previous != current)
                changes += (x - 1) * (HighCurve - LowCurve) / (HistorySize - 2) + LowCurve;
        }
        return changes * 100.0 / (HistorySize - 1);
    }

    /// <summary>The history as text (<c>next;count;flapping;s0,s1,...</c>), for a store that members of a cluster share.</summary>
    public string Snapshot() =>
        $"{_next};{_count};{(IsFlapping ? 1 : 0)};{string.Join(',', Enumerable.Range(0, HistorySize).Select(Get))}";

    /// <summary>A detector with the history of <see cref="Snapshot"/>; a new one for empty or unreadable text.</summary>
    public static FlapDetector FromSnapshot(string text)
    {
        var detector = new FlapDetector();
        var parts = text.Split(';');
        if (parts.Length != 4 || !int.TryParse(parts[0], out var next) || !int.TryParse(parts[1], out var count))
            return detector;
        var history = parts[3].Split(',');
        if (history.Length != HistorySize || next is < 0 or >= HistorySize || count is < 0 or > HistorySize)
            return detector;
        for (int i = 0; i < HistorySize; i++)
            detector.Set(i, int.TryParse(history[i], out var v) ? v : 0);
        detector._next = next;
        detector._count = count;
        detector.IsFlapping = parts[2] == "1";
        detector.PercentStateChange = detector.Compute();
        return detector;
    }
}
