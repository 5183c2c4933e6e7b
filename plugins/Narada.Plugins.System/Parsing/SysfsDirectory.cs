using System.IO.Enumeration;

namespace Narada.Plugins.System.Parsing;

/// <summary>
/// The subdirectories of a sysfs directory (<c>/sys/class/net/*</c>, <c>clocksource[0-9]*</c>), handed back as the
/// per-entry objects a <see cref="LabelCache{T}"/> keeps, so listing them allocates no names once they are known.
/// Entries are symlinks to directories there; regular files beside them (bonding_masters) are left out.
/// </summary>
internal static class SysfsDirectory
{
    private static readonly EnumerationOptions Options = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    };

    /// <summary>Throws <see cref="CollectorSourceException"/> when <paramref name="directory"/> does not exist.</summary>
    public static void Collect<T>(string directory, LabelCache<T> entries, Func<ReadOnlySpan<char>, bool> include, List<T> into)
        where T : class
    {
        try
        {
            var listing = new FileSystemEnumerable<T>(directory, (ref FileSystemEntry entry) => entries.Get(entry.FileName), Options)
            {
                ShouldIncludePredicate = (ref FileSystemEntry entry) => entry.IsDirectory && include(entry.FileName),
            };
            foreach (var item in listing)
                into.Add(item);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new CollectorSourceException(directory, e);
        }
    }
}
