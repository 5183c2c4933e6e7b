using Narada.Controller.Scheduling;

namespace Narada.Controller.Dispatch;

/// <summary>One job on its way to one host (or one tag pool): the function, the coalescing unique and the payload.</summary>
public sealed record DispatchItem(DefinitionKey Key, string Target, string Function, string Unique, byte[] Payload)
{
    /// <summary>The interval it belongs to, as a cluster's members claim it (see <see cref="Dispatcher"/>).</summary>
    public long Slot { get; init; }
}
