using System.Text.RegularExpressions;

namespace Narada.Agent.Manifests;

/// <summary>Free text, optionally restricted by a regular expression that must match the whole value.</summary>
public sealed class StringParamType(Regex? pattern, int maxLength) : ParamType
{
    public const int DefaultMaxLength = 1024;

    public override string Name => "string";

    /// <summary>The pattern as written in the manifest; null when any text (not starting with '-') is allowed.</summary>
    public string? Pattern => pattern?.ToString();

    public override string? Check(string value, out string rendered)
    {
        rendered = value;
        if (CommonProblem(value) is { } problem)
            return problem;
        if (value.Length == 0)
            return "must not be empty";
        if (value.Length > maxLength)
            return $"is longer than {maxLength} characters";
        if (pattern is null)
            // A positional value starting with '-' would be read by the plugin as an option.
            return value.StartsWith('-') ? "must not start with '-' (declare a pattern to allow it)" : null;
        try
        {
            return pattern.IsMatch(value) ? null : $"does not match the pattern {pattern}";
        }
        catch (RegexMatchTimeoutException)
        {
            return $"took too long to match the pattern {pattern}";
        }
    }

    /// <summary>Builds the whole-value regex for a manifest pattern; throws <see cref="ArgumentException"/> when it is not valid.</summary>
    public static Regex CompilePattern(string pattern) =>
        new($"^(?:{pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
}
