using Narada.Controller.History;
using Narada.Core.Formats;

namespace Narada.Controller.State;

/// <summary>Whether a non-OK state has been confirmed by enough attempts (hard) or may still be a blip (soft).</summary>
public enum StateType
{
    Soft,
    Hard,
}

/// <summary>The state of one check on one host, advanced result by result with Nagios' soft/hard rules.</summary>
public sealed class CheckState
{
    private readonly FlapDetector _flaps;

    public CheckState(string check, string host, int maxAttempts, DateTimeOffset createdAt, FlapDetector? flaps = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        Check = check;
        Host = host;
        MaxAttempts = maxAttempts;
        _flaps = flaps ?? new FlapDetector();
        LastChange = createdAt;
        LastHardChange = createdAt;
    }

    public string Check { get; }
    public string Host { get; }
    public int MaxAttempts { get; set; }

    /// <summary>The status of the latest result (soft or hard); Unknown with "pending" until the first result.</summary>
    public CheckStatus Status { get; private set; } = CheckStatus.Unknown;

    /// <summary>The last confirmed status: what alerts and recoveries are judged on.</summary>
    public CheckStatus HardStatus { get; private set; } = CheckStatus.Ok;

    public StateType Type { get; private set; } = StateType.Hard;

    /// <summary>How many consecutive non-OK results led to the current state (1 when OK).</summary>
    public int Attempt { get; private set; } = 1;

    public string Output { get; private set; } = "pending: no result yet";
    public DateTimeOffset? LastResult { get; private set; }
    public DateTimeOffset? LastOk { get; private set; }
    public DateTimeOffset LastChange { get; private set; }
    public DateTimeOffset LastHardChange { get; private set; }
    public bool IsFlapping => _flaps.IsFlapping;

    /// <summary>The flap history as text, see <see cref="FlapDetector.Snapshot"/>.</summary>
    public string FlapSnapshot => _flaps.Snapshot();
    public double PercentStateChange => _flaps.PercentStateChange;

    /// <summary>True once a result has arrived.</summary>
    public bool HasResult => LastResult is not null;

    /// <summary>The part of this state that is persisted.</summary>
    public StateRecord ToRecord() => new(Check, Host, Status, HardStatus, Type.ToString(), Attempt, Output, LastResult, LastOk,
        LastChange, LastHardChange);

    /// <summary>Resumes a state saved by <see cref="ToRecord"/>, with its flap history when one was kept (else afresh).</summary>
    public static CheckState Restore(StateRecord saved, int maxAttempts, FlapDetector? flaps = null)
    {
        var state = new CheckState(saved.Check, saved.Host, maxAttempts, saved.LastChange, flaps)
        {
            Status = saved.Status,
            HardStatus = saved.HardStatus,
            Type = Enum.TryParse<StateType>(saved.StateType, out var type) ? type : StateType.Hard,
            Attempt = Math.Clamp(saved.Attempt, 1, maxAttempts),
            Output = saved.Output,
            LastResult = saved.LastResult,
            LastOk = saved.LastOk,
            LastHardChange = saved.LastHardChange,
        };
        return state;
    }

    /// <summary>Applies one result and says what changed; the caller fires handlers on hard changes.</summary>
    public StateChange Apply(CheckStatus status, string output, DateTimeOffset at)
    {
        var previous = Status;
        var previousHard = HardStatus;
        var problemSince = LastHardChange;
        bool hadResult = HasResult;

        if (status == CheckStatus.Ok)
        {
            Attempt = 1;
            Type = StateType.Hard;
            HardStatus = CheckStatus.Ok;
            LastOk = at;
        }
        else if (previous == CheckStatus.Ok || !hadResult)
        {
            Attempt = 1;
            Type = MaxAttempts <= 1 ? StateType.Hard : StateType.Soft;
        }
        else if (Type == StateType.Soft)
        {
            Attempt = Math.Min(Attempt + 1, MaxAttempts);
            Type = Attempt >= MaxAttempts ? StateType.Hard : StateType.Soft;
        }
        // else: already hard non-OK; a change between WARNING/CRITICAL/UNKNOWN stays hard.

        if (status != CheckStatus.Ok && Type == StateType.Hard)
            HardStatus = status;

        Status = status;
        if (!string.Equals(Output, output, StringComparison.Ordinal))
            Output = output; // the same text as last time keeps the string already held (most outputs repeat)
        LastResult = at;
        if (status != previous || !hadResult)
            LastChange = at;

        bool hardChange = HardStatus != previousHard;
        if (hardChange)
            LastHardChange = at;
        int flap = _flaps.Record((int)status);
        return new StateChange(previous, status, previousHard, HardStatus, Type, Attempt, hardChange,
            Recovery: hardChange && HardStatus == CheckStatus.Ok, FlappingStarted: flap > 0, FlappingStopped: flap < 0)
        {
            PreviousHardSince = problemSince,
        };
    }
}

/// <summary>What one result did to a check's state.</summary>
public readonly record struct StateChange(
    CheckStatus Previous,
    CheckStatus Current,
    CheckStatus PreviousHard,
    CheckStatus CurrentHard,
    StateType Type,
    int Attempt,
    bool HardChange,
    bool Recovery,
    bool FlappingStarted,
    bool FlappingStopped)
{
    /// <summary>Since when the hard status before this result had held (a recovery: how long the problem lasted).</summary>
    public DateTimeOffset PreviousHardSince { get; init; }
}
