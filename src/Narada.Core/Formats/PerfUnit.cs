namespace Narada.Core.Formats;

/// <summary>What a perfdata value measures once converted to base units.</summary>
public enum BaseUnit
{
    /// <summary>A plain number of things (users, processes, load), or a unit Narada does not know.</summary>
    None,
    Seconds,
    Bytes,
    /// <summary>Percent in perfdata; samples carry it as a 0..1 ratio.</summary>
    Percent,
    /// <summary>A continuous counter (<c>c</c>).</summary>
    Counter,
}

/// <summary>
/// The units of measurement the Nagios plugin guidelines allow (none, s, ms, us, %, B, KB, MB, GB, TB, c) and their
/// factor to base units. KB/MB/GB/TB are binary (1024-based): the guidelines leave it open, and the Monitoring
/// Plugins themselves (check_swap, check_disk) print "MB" for values divided by 1024². KiB/MiB/GiB/TiB are accepted
/// as the same. Seconds also accept ns.
/// </summary>
public static class PerfUnit
{
    private const double Kibi = 1024;

    /// <summary>True when <paramref name="uom"/> is known; gives the factor to multiply by and the resulting unit.</summary>
    public static bool TryGetScale(string uom, out double factor, out BaseUnit unit)
    {
        (factor, unit) = uom switch
        {
            "" => (1d, BaseUnit.None),
            "s" => (1d, BaseUnit.Seconds),
            "ms" => (1e-3, BaseUnit.Seconds),
            "us" => (1e-6, BaseUnit.Seconds),
            "ns" => (1e-9, BaseUnit.Seconds),
            "%" => (1d, BaseUnit.Percent),
            "B" => (1d, BaseUnit.Bytes),
            "KB" or "kB" or "KiB" => (Kibi, BaseUnit.Bytes),
            "MB" or "MiB" => (Kibi * Kibi, BaseUnit.Bytes),
            "GB" or "GiB" => (Kibi * Kibi * Kibi, BaseUnit.Bytes),
            "TB" or "TiB" => (Kibi * Kibi * Kibi * Kibi, BaseUnit.Bytes),
            "c" => (1d, BaseUnit.Counter),
            _ => (double.NaN, BaseUnit.None),
        };
        return !double.IsNaN(factor);
    }

    /// <summary>The UOM a value carries after conversion: <c>s</c>, <c>B</c>, <c>%</c>, <c>c</c> or none.</summary>
    public static string Symbol(BaseUnit unit) => unit switch
    {
        BaseUnit.Seconds => "s",
        BaseUnit.Bytes => "B",
        BaseUnit.Percent => "%",
        BaseUnit.Counter => "c",
        _ => "",
    };
}
