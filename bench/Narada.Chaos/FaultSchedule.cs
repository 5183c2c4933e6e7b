namespace Narada.Chaos;

/// <summary>How often and when a scenario strikes: <see cref="Rounds"/> faults, each after a random pause of steady load.</summary>
public sealed record FaultSchedule
{
    public int Rounds { get; init; } = 10;

    /// <summary>Steady load before each fault: a random time from <see cref="MinGap"/> to <see cref="MaxGap"/>.</summary>
    public TimeSpan MinGap { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxGap { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>A fault the system has not recovered from within this long is counted as not recovered.</summary>
    public TimeSpan RecoveryTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Seed of the random moments, printed with the figures so a run can be repeated.</summary>
    public int Seed { get; init; } = Environment.TickCount;

    /// <summary>What the CI tests run: a couple of faults, short pauses.</summary>
    public static FaultSchedule Short { get; } = new() { Rounds = 2, MinGap = TimeSpan.FromMilliseconds(500), MaxGap = TimeSpan.FromSeconds(1.5) };
}

/// <summary>
/// Runs the faults of a <see cref="FaultSchedule"/> and times each recovery: from the fault to the first sign of
/// progress the scenario's own ledger shows after it.
/// </summary>
public sealed class FaultLoop(FaultSchedule schedule)
{
    private readonly Random _random = new(schedule.Seed);
    private readonly List<double> _recoveries = [];
    private readonly List<(long FaultAt, long CountFrom)> _strikes = [];

    public IReadOnlyList<double> RecoveriesMs => _recoveries;

    public int Unrecovered { get; private set; }

    /// <summary>Each fault's start and the moment from which progress counted, for other figures taken afterwards.</summary>
    public IReadOnlyList<(long FaultAt, long CountFrom)> Strikes => _strikes;

    /// <summary>Per fault, the time to another ledger's first progress after it (ms), for faults it saw progress after.</summary>
    public Distribution RecoveryBy(Func<long, long?> progressAfter) =>
        Distribution.Of(_strikes.Select(s => progressAfter(s.CountFrom) is { } at ? (double?)(at - s.FaultAt) : null).OfType<double>());

    /// <param name="strike">Injects one fault (and undoes it: a restart, a healed link); returns when the fault began
    /// (ms) and from when progress counts as recovery (ms; after the killed process is gone, after the link is back).</param>
    /// <param name="progressAfter">The ledger's first progress after a given time (ms), or null while there is none.</param>
    public async Task RunAsync(Func<int, Task<(long FaultAt, long CountFrom)>> strike, Func<long, long?> progressAfter,
        CancellationToken cancellationToken = default)
    {
        for (int round = 0; round < schedule.Rounds; round++)
        {
            var gap = schedule.MinGap + (schedule.MaxGap - schedule.MinGap) * _random.NextDouble();
            await Task.Delay(gap, cancellationToken);
            var (faultAt, countFrom) = await strike(round);
            _strikes.Add((faultAt, countFrom));
            var deadline = DateTime.UtcNow + schedule.RecoveryTimeout;
            long? recovered;
            while ((recovered = progressAfter(countFrom)) is null && DateTime.UtcNow < deadline)
                await Task.Delay(10, cancellationToken);
            if (recovered is { } at)
                _recoveries.Add(at - faultAt);
            else
                Unrecovered++;
        }
    }

    public Distribution Recovery => Distribution.Of(_recoveries);
}
