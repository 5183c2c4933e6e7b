using System.Runtime.CompilerServices;
using System.Text;

namespace Narada.Cli.Commands.Gearman;

/// <summary>How standard input is cut into workloads: whole, or one per line with or without its newline.</summary>
internal enum LineMode
{
    Whole,
    Keep,
    Strip,
}

/// <summary>Where <c>narada submit</c>'s workloads come from: the arguments, nothing (-s), or standard input.</summary>
internal sealed class WorkloadSource(IReadOnlyList<string> arguments, bool noStdin, LineMode lines)
{
    public static WorkloadSource From(IReadOnlyList<string> arguments, bool noStdin, LineMode lines) => new(arguments, noStdin, lines);

    /// <summary>The workloads in order; lines are yielded as they arrive so <c>tail -f | narada submit -n</c> streams.</summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(Stream stdin, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (arguments.Count > 0)
        {
            foreach (var argument in arguments)
                yield return Encoding.UTF8.GetBytes(argument);
            yield break;
        }
        if (noStdin)
        {
            yield return ReadOnlyMemory<byte>.Empty;
            yield break;
        }
        if (lines == LineMode.Whole)
        {
            using var all = new MemoryStream();
            await stdin.CopyToAsync(all, cancellationToken);
            yield return all.ToArray();
            yield break;
        }
        await foreach (var line in LinesAsync(stdin, lines == LineMode.Strip, cancellationToken))
            yield return line;
    }

    /// <summary>Splits a byte stream at '\n' without decoding it; a last line without newline still counts.</summary>
    public static async IAsyncEnumerable<byte[]> LinesAsync(Stream input, bool strip, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var pending = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
        {
            int start = 0;
            for (int i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n')
                    continue;
                pending.Write(buffer, start, strip ? i - start : i - start + 1);
                yield return pending.ToArray();
                pending.SetLength(0);
                start = i + 1;
            }
            pending.Write(buffer, start, read - start);
        }
        if (pending.Length > 0)
            yield return pending.ToArray();
    }
}
