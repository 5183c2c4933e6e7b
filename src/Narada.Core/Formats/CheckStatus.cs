namespace Narada.Core.Formats;

/// <summary>A check's state, numbered exactly as Nagios plugin exit codes.</summary>
public enum CheckStatus
{
    Ok = 0,
    Warning = 1,
    Critical = 2,
    Unknown = 3,
}
