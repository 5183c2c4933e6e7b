namespace Narada.JobServer.Tests.Support;

/// <summary>Which job server a conformance scenario runs against.</summary>
public enum ServerKind
{
    Gearmand,

    /// <summary>Narada's <see cref="JobServer"/> inside the test process.</summary>
    Narada,

    /// <summary><c>narada jobserver</c> as its own process, the binary users run.</summary>
    NaradaProcess,
}
