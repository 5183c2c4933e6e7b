namespace Narada.JobServer.Tests.Support;

/// <summary>Which job server a conformance scenario runs against.</summary>
public enum ServerKind
{
    Gearmand,

    /// <summary>Narada's <see cref="JobServer"/> inside the test process.</summary>
    Narada,

    /// <summary><c>narada jobserver</c> as its own process, set up as users run it (socket completions inline, see <see cref="DedicatedProcess"/>).</summary>
    NaradaProcess,
}
