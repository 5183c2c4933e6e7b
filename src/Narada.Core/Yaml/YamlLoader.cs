using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Narada.Core.Yaml;

/// <summary>
/// Loads YAML text into YamlDotNet's representation model so that every way a malformed file can fail becomes one
/// <see cref="YamlSyntaxException"/> with a position: the parser's own syntax errors; the exceptions it throws instead
/// on some input (a <c>[</c> left open before the end of the file throws InvalidOperationException from its scanner); and
/// nesting deep enough to exhaust the stack, which is refused before the representation model recurses into it.
/// Every YAML file Narada reads (definitions, agent configuration, plugin manifests, the job server's ACL) goes through here.
/// </summary>
public static class YamlLoader
{
    /// <summary>Deepest nesting of mappings and sequences accepted; real files are far below it.</summary>
    public const int MaxNesting = 64;

    /// <summary>Parses <paramref name="text"/>; throws <see cref="YamlSyntaxException"/> for anything it cannot read.</summary>
    public static YamlStream Load(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (FlowDepthBeyondLimit(text) is { } deep)
            throw new YamlSyntaxException(deep, $"more than {MaxNesting} nested [ or {{ (nesting limit)");

        var lastGood = Mark.Empty;
        try
        {
            CheckNesting(text, ref lastGood);
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream;
        }
        catch (YamlException e)
        {
            throw new YamlSyntaxException(e.Start, $"YAML syntax error: {SyntaxMessage(e)}", e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or NullReferenceException)
        {
            // Still the file's syntax error, not Narada's: point at the last place the parser understood.
            throw new YamlSyntaxException(lastGood, $"YAML syntax error after this point: the parser gave up ({e.Message})", e);
        }
    }

    // The representation model recurses per nesting level; a pass over the parser's events refuses absurd depth first.
    private static void CheckNesting(string text, ref Mark lastGood)
    {
        var parser = new Parser(new StringReader(text));
        int depth = 0;
        while (parser.MoveNext())
        {
            var current = parser.Current!;
            lastGood = current.Start;
            if (current is MappingStart or SequenceStart)
            {
                depth++;
                if (depth > MaxNesting)
                    throw new YamlSyntaxException(current.Start, $"nesting deeper than {MaxNesting} levels");
            }
            else if (current is MappingEnd or SequenceEnd)
            {
                depth--;
            }
        }
    }

    // YamlDotNet's scanner slows down sharply with deeply nested flow collections ("[[[[..."), before any parser
    // event could be counted; a raw count of brackets outside comments refuses those files up front.
    private static Mark? FlowDepthBeyondLimit(string text)
    {
        var (depth, line, column, comment) = (0, 1, 0, false);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            column++;
            if (c == '\n')
                (line, column, comment) = (line + 1, 0, false);
            else if (c == '#' && (i == 0 || char.IsWhiteSpace(text[i - 1])))
                comment = true;
            else if (!comment && c is '[' or '{' && ++depth > MaxNesting)
                return new Mark(i, line, column);
            else if (!comment && c is ']' or '}')
                depth = Math.Max(0, depth - 1);
        }
        return null;
    }

    private static string SyntaxMessage(YamlException e)
    {
        // YamlDotNet prefixes messages with "(Line: x, Col: y, Idx: z) - (...): "; the position is given separately.
        var message = e.Message;
        int cut = message.IndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 && message.StartsWith('(') ? message[(cut + 3)..] : message;
    }
}

/// <summary>YAML text that cannot be read; <see cref="Start"/> is where (1-based line and column).</summary>
public sealed class YamlSyntaxException : Exception
{
    public YamlSyntaxException(Mark start, string reason, Exception? inner = null) : base(reason, inner)
    {
        Start = start;
    }

    public Mark Start { get; }
}
