using Microsoft.Extensions.Logging;
using Narada.Controller.Metrics;
using Narada.Core.Definitions;
using Narada.Core.Yaml;

namespace Narada.Controller;

/// <summary>
/// The running definitions. A reload validates the whole directory and swaps the new set in atomically; a broken edit
/// is reported and the running definitions stay. Watches the directory and reloads after edits settle.
/// </summary>
public sealed class DefinitionStore : IDisposable
{
    private readonly string _directory;
    private readonly ILogger _logger;
    private readonly ControllerMetrics _metrics;
    private readonly FileSystemWatcher? _watcher;
    private readonly Timer _debounce;
    private readonly Lock _reloading = new();
    private DefinitionSet _current;

    private DefinitionStore(string directory, DefinitionSet initial, ILogger logger, ControllerMetrics metrics, bool watch)
    {
        _directory = directory;
        _current = initial;
        _logger = logger;
        _metrics = metrics;
        _debounce = new Timer(_ => Reload());
        if (watch)
        {
            _watcher = new FileSystemWatcher(directory) { IncludeSubdirectories = true, EnableRaisingEvents = true };
            _watcher.Changed += (_, _) => Schedule();
            _watcher.Created += (_, _) => Schedule();
            _watcher.Deleted += (_, _) => Schedule();
            _watcher.Renamed += (_, _) => Schedule();
        }
    }

    /// <summary>Raised after a successful reload with the new set.</summary>
    public event Action<DefinitionSet>? Reloaded;

    public DefinitionSet Current => Volatile.Read(ref _current);

    public string Directory => _directory;

    /// <summary>Loads <paramref name="directory"/>; fails with every error when the initial set is invalid.</summary>
    public static DefinitionStore Open(string directory, ILogger logger, ControllerMetrics metrics, bool watch = true)
    {
        var result = DefinitionLoader.Load(directory);
        if (!result.Succeeded)
            throw new DefinitionLoadException(directory, result.Errors);
        var set = result.Set!;
        Log.DefinitionsLoaded(logger, directory, set.Checks.Count, set.Collectors.Count, set.Applies.Count, set.Handlers.Count);
        return new DefinitionStore(directory, set, logger, metrics, watch);
    }

    /// <summary>Validates and swaps; returns the load result either way. One reload at a time (an edit and a SIGHUP may
    /// come together), so the last set loaded is the one that runs.</summary>
    public LoadResult Reload()
    {
        lock (_reloading)
            return ReloadNow();
    }

    private LoadResult ReloadNow()
    {
        var result = DefinitionLoader.Load(_directory);
        if (!result.Succeeded)
        {
            _metrics.Reloads.WithLabels("refused").Inc();
            _metrics.LastReloadSuccessful.Set(0);
            Log.ReloadRefused(_logger, _directory, string.Join("\n", result.Errors));
            return result;
        }
        var set = result.Set!;
        Volatile.Write(ref _current, set);
        _metrics.Reloads.WithLabels("ok").Inc();
        _metrics.LastReloadSuccessful.Set(1);
        Log.DefinitionsLoaded(_logger, _directory, set.Checks.Count, set.Collectors.Count, set.Applies.Count, set.Handlers.Count);
        Reloaded?.Invoke(set);
        return result;
    }

    private void Schedule() => _debounce.Change(TimeSpan.FromMilliseconds(300), Timeout.InfiniteTimeSpan);

    public void Dispose()
    {
        _watcher?.Dispose();
        _debounce.Dispose();
    }
}

/// <summary>The definitions directory has errors; each is <c>file:line:col: key: message</c>.</summary>
public sealed class DefinitionLoadException(string directory, IReadOnlyList<YamlError> errors)
    : Exception($"{directory}: {errors.Count} error(s) in definitions:\n" + string.Join("\n", errors))
{
    public IReadOnlyList<YamlError> Errors { get; } = errors;
}
