using System.Text.RegularExpressions;

namespace Narada.Controller.Rendering;

/// <summary>Secrets for templates, read on the controller from a secrets directory or NARADA_SECRET_* variables, never from YAML.</summary>
public sealed partial class SecretStore(string? secretsDirectory)
{
    public const string EnvironmentPrefix = "NARADA_SECRET_";

    /// <summary>The secrets directory, if one is configured.</summary>
    public string? Directory { get; } = secretsDirectory is null ? null : Path.GetFullPath(secretsDirectory);

    /// <summary>The environment variable that holds secret <paramref name="name"/>: upper case, <c>-</c> and <c>.</c> as <c>_</c>.</summary>
    public static string EnvironmentVariable(string name) =>
        EnvironmentPrefix + name.ToUpperInvariant().Replace('-', '_').Replace('.', '_');

    /// <summary>Reads secret <paramref name="name"/> (file first, then environment); the error says where it looked.</summary>
    public (string? Value, string? Error) Read(string name)
    {
        if (!SecretName().IsMatch(name))
            return (null, $"secret name \"{name}\" must be letters, digits, '.', '-' or '_', not starting with '.' or '-'");

        if (Directory is not null)
        {
            var file = Path.Join(Directory, name);
            if (File.Exists(file))
            {
                try
                {
                    // Files written with echo or an editor end in a newline that is not part of the secret.
                    var text = File.ReadAllText(file);
                    return (WithoutFinalNewline(text), null);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return (null, $"secret \"{name}\" cannot be read from {file}: {e.Message}");
                }
            }
        }

        var variable = EnvironmentVariable(name);
        if (Environment.GetEnvironmentVariable(variable) is { } value)
            return (value, null);

        var looked = Directory is null ? "" : $"no file {Path.Join(Directory, name)} and ";
        return (null, $"secret \"{name}\" not found: {looked}no environment variable {variable}");
    }

    private static string WithoutFinalNewline(string text) =>
        text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2]
        : text.EndsWith('\n') ? text[..^1]
        : text;

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]*$")]
    private static partial Regex SecretName();
}
