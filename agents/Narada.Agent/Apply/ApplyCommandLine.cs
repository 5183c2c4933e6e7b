using System.Text;

namespace Narada.Agent.Apply;

/// <summary>Splits a validate or on_change command into argv the way a user expects from a shell, without a shell.</summary>
/// <remarks>
/// Whitespace separates words; <c>'...'</c> is literal; inside <c>"..."</c> a backslash escapes <c>"</c> and <c>\</c>;
/// outside quotes a backslash escapes any character. Nothing is expanded: no variables, globs or pipes.
/// </remarks>
public static class ApplyCommandLine
{
    /// <summary>The words of <paramref name="commandLine"/>; throws <see cref="FormatException"/> naming the problem.</summary>
    public static IReadOnlyList<string> Split(string commandLine)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < commandLine.Length; i++)
        {
            var c = commandLine[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                    words.Add(word.ToString());
                word.Clear();
                inWord = false;
                continue;
            }

            inWord = true;
            switch (c)
            {
                case '\'':
                    var close = commandLine.IndexOf('\'', i + 1);
                    if (close < 0)
                        throw new FormatException($"unterminated ' quote at column {i + 1} in: {commandLine}");
                    word.Append(commandLine, i + 1, close - i - 1);
                    i = close;
                    break;
                case '"':
                    i = ReadDoubleQuoted(commandLine, i, word);
                    break;
                case '\\':
                    if (i + 1 >= commandLine.Length)
                        throw new FormatException($"trailing backslash in: {commandLine}");
                    word.Append(commandLine[++i]);
                    break;
                default:
                    word.Append(c);
                    break;
            }
        }

        if (inWord)
            words.Add(word.ToString());
        if (words.Count == 0)
            throw new FormatException("the command is empty");
        return words;
    }

    /// <summary>Appends the contents of the quote opening at <paramref name="open"/>; returns the closing quote's index.</summary>
    private static int ReadDoubleQuoted(string commandLine, int open, StringBuilder word)
    {
        for (var i = open + 1; i < commandLine.Length; i++)
        {
            var c = commandLine[i];
            if (c == '"')
                return i;
            if (c == '\\' && i + 1 < commandLine.Length && commandLine[i + 1] is '"' or '\\')
                c = commandLine[++i];
            word.Append(c);
        }
        throw new FormatException($"unterminated \" quote at column {open + 1} in: {commandLine}");
    }
}
