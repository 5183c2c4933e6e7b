using Microsoft.AspNetCore.Http;
using Narada.Controller.History;

namespace Narada.Controller.Access;

/// <summary>Writes who did what to the store's audit trail, naming the caller the access gate recognised.</summary>
internal static class AuditTrail
{
    public static void Record(NaradaController controller, HttpContext http, string action, string target, string detail, string? actor = null) =>
        controller.History.Audit(new AuditRecord(DateTimeOffset.UtcNow, actor ?? Caller.Of(http).Actor, action, target, detail,
            Http.AccessGate.Address(http)));
}
