using Microsoft.Extensions.Logging;

namespace Narada.Controller;

/// <summary>Every log line the controller writes, source-generated.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "dispatch to {Function} ({Unique}) failed: {Reason}")]
    public static partial void DispatchFailed(ILogger logger, string function, string unique, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "unreadable message on narada.results: {Reason}")]
    public static partial void InvalidResult(ILogger logger, string reason);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "refused a narada.results message about host {Host}: its unique '{Unique}' names {Submitter}")]
    public static partial void ForeignHost(ILogger logger, string host, string unique, string submitter);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "two or more agents send heartbeats as {Host} (instances {Instances}): " +
        "jobs for {Host} go to either of them; a cloned machine keeps its host name, so give each agent its own name")]
    public static partial void NameConflict(ILogger logger, string host, string instances);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "host {Host} is {Status}")]
    public static partial void HostStatus(ILogger logger, string host, string status);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "{Check} on {Host}: {Previous} -> {Current} ({Type}, attempt {Attempt}): {Output}")]
    public static partial void StateChanged(ILogger logger, string check, string host, string previous, string current, string type, int attempt, string output);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "handler {Handler} failed: {Reason}")]
    public static partial void HandlerFailed(ILogger logger, string handler, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "definitions loaded from {Directory}: {Checks} checks, {Collectors} collectors, {Applies} applies, {Handlers} handlers")]
    public static partial void DefinitionsLoaded(ILogger logger, string directory, int checks, int collectors, int applies, int handlers);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "reload of {Directory} refused, the running definitions stay:\n{Errors}")]
    public static partial void ReloadRefused(ILogger logger, string directory, string errors);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "apply {Apply} on {Host} {Path}: {Outcome}: {Message}")]
    public static partial void ApplyProblem(ILogger logger, string apply, string host, string path, string outcome, string message);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "{Work} failed: {Reason}")]
    public static partial void BackgroundFailed(ILogger logger, string work, string reason);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "store {Store}: {Role}")]
    public static partial void StoreOpened(ILogger logger, string store, string role);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "resuming rollout {Rollout} of {Apply}: its member is gone; {Done} host(s) it reached are left alone")]
    public static partial void RolloutResumed(ILogger logger, string rollout, string apply, int done);

    [LoggerMessage(EventId = 14, Level = LogLevel.Error, Message = "refused {Method} {Path}: the endpoint has no access rule (a bug: every endpoint needs one)")]
    public static partial void NoAccessRule(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "HTTP access: {How}")]
    public static partial void AccessMode(ILogger logger, string how);

    [LoggerMessage(EventId = 16, Level = LogLevel.Warning, Message = "{Path} not reloaded, the users in force stay:\n{Errors}")]
    public static partial void UsersNotReloaded(ILogger logger, string path, string errors);

    [LoggerMessage(EventId = 17, Level = LogLevel.Warning, Message = "remote write to {Url} failed: {Reason}")]
    public static partial void RemoteWriteFailed(ILogger logger, string url, string reason);
}
