namespace Narada.Testing;

/// <summary>Finds the real programs tests run against, and fails loudly (never skips) when one is missing.</summary>
public static class RequiredTool
{
    private static readonly string[] SearchPath =
        [.. (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries),
         "/usr/sbin", "/usr/bin", "/usr/lib/nagios/plugins"];

    /// <summary>The absolute path of <paramref name="name"/>; throws naming the Debian package that provides it.</summary>
    public static string Path(string name, string debianPackage)
    {
        foreach (var dir in SearchPath)
        {
            var candidate = System.IO.Path.Combine(dir, name);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new InvalidOperationException(
            $"'{name}' is required by this test but is not installed: apt-get install {debianPackage} (bash .ci/run installs it)");
    }

    public static string Gearmand => Path("gearmand", "gearman-job-server");
    public static string Gearman => Path("gearman", "gearman-tools");
    public static string Gearadmin => Path("gearadmin", "gearman-tools");
    public static string Php => Path("php", "php-cli php-gearman");
    public static string Perl => Path("perl", "perl libgearman-client-perl");
}
