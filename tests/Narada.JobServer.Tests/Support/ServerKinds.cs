namespace Narada.JobServer.Tests.Support;

/// <summary>The servers a theory runs against, named once so a new kind reaches every scenario.</summary>
public static class ServerKinds
{
    /// <summary>Conformance: stock gearmand, Narada in process and <c>narada jobserver</c>, which must behave alike.</summary>
    public static TheoryData<ServerKind> All => new() { ServerKind.Gearmand, ServerKind.Narada, ServerKind.NaradaProcess };

    /// <summary>Where Narada must do better than gearmand: in process and as its own process.</summary>
    public static TheoryData<ServerKind> Narada => new() { ServerKind.Narada, ServerKind.NaradaProcess };
}
