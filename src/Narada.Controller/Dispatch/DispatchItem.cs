using Narada.Controller.Scheduling;
using Narada.Core.Contracts;
using Narada.Core.Formats;

namespace Narada.Controller.Dispatch;

/// <summary>
/// One job on its way to one host (or one tag pool), as planned when its definition fired. It holds only what names the
/// job; the function, the coalescing unique and the serialised request are made when it is due, so a fleet's splayed
/// interval (a million jobs waiting at 100,000 hosts × 10 checks) costs tens of bytes a job rather than hundreds.
/// </summary>
/// <param name="Target">A host name, or <c>tag:NAME</c> for a pool.</param>
/// <param name="Definition">The definition as it was when it fired (shared by every job of that firing).</param>
/// <param name="PlannedAt">When it was planned: the request's <c>scheduled_at</c>.</param>
/// <param name="Slot">The interval it belongs to, as a cluster's members claim it (see <see cref="Dispatcher"/>).</param>
public sealed record DispatchItem(DefinitionKey Key, string Target, DefinitionShape Definition, DateTimeOffset PlannedAt, long Slot)
{
    internal const string PoolPrefix = "tag:";

    public string Function => Target.StartsWith(PoolPrefix, StringComparison.Ordinal)
        ? FunctionNames.ForPool(Key.Kind, Target[PoolPrefix.Length..])
        : FunctionNames.ForHost(Key.Kind, Target);

    public string Unique => FunctionNames.Unique(Key.Kind, Key.Name, Target);

    public byte[] Payload() => Envelope.Serialize(Dispatcher.BuildRequest(Key, Definition, Target, PlannedAt));
}
