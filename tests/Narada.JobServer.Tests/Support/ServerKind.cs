namespace Narada.JobServer.Tests.Support;

/// <summary>Which job server a conformance scenario runs against.</summary>
public enum ServerKind
{
    Gearmand,
    Narada,
}
