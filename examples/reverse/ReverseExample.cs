using System.Text;
using Narada.Gearman.Client;
using Narada.Gearman.Worker;

namespace Narada.Examples.Reverse;

/// <summary>The seed's reverse worker and client in C# on Narada.Gearman; they mix freely with the PHP pair beside them.</summary>
public static class ReverseExample
{
    /// <summary>Serves <c>reverse</c> on <paramref name="worker"/> (then call <c>worker.RunAsync</c>).</summary>
    public static void Register(GearmanWorker worker) =>
        worker.Register("reverse", static (job, _) =>
        {
            var text = Encoding.UTF8.GetString(job.Payload.Span).ToCharArray();
            Array.Reverse(text);
            return ValueTask.FromResult<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes(text));
        });

    /// <summary>Asks any <c>reverse</c> worker (C#, PHP, <c>narada worker -- rev</c>) to reverse <paramref name="text"/>.</summary>
    public static async Task<string> CallAsync(GearmanClient client, string text, CancellationToken cancellationToken = default)
    {
        var result = await client.SubmitAsync("reverse", Encoding.UTF8.GetBytes(text), cancellationToken: cancellationToken);
        return result.Succeeded ? result.DataAsString() : throw new InvalidOperationException($"reverse {result.Outcome}: {result.DataAsString()}");
    }
}
