using Narada.Core.Contracts;
using Narada.Core.Definitions;
using Quartz;
using Quartz.Extensibility;

namespace Narada.Controller.Scheduling;

/// <summary>
/// Quartz.NET drives every Check, Collector and scheduled Apply: one job and one trigger per definition (interval or
/// Unix cron with a time zone). A reload reschedules only definitions whose schedule changed, so unchanged ones keep
/// their rhythm; removed ones are deleted.
/// </summary>
public sealed class DefinitionScheduler : IAsyncDisposable
{
    private const string KeyData = "narada.key";
    private readonly IScheduler _scheduler;
    private readonly Dictionary<DefinitionKey, string> _scheduled = [];
    private readonly SemaphoreSlim _applying = new(1, 1);

    private DefinitionScheduler(IScheduler scheduler) => _scheduler = scheduler;

    /// <summary>Starts a scheduler that calls <paramref name="onFire"/> with each firing's key and scheduled time.</summary>
    public static async Task<DefinitionScheduler> StartAsync(Func<DefinitionKey, DateTimeOffset, ValueTask> onFire,
        string name = "narada", CancellationToken cancellationToken = default)
    {
        var scheduler = await QuartzSchedulerBuilder.Create(q =>
        {
            q.UseJobFactory(new FireJobFactory(onFire));
            q.UseDefaultThreadPool(2);
            q.ConfigureScheduler(o => o.InstanceName = $"{name}-{Guid.NewGuid():N}");
        }).BuildScheduler(cancellationToken);
        await scheduler.Start(cancellationToken);
        return new DefinitionScheduler(scheduler);
    }

    /// <summary>The keys currently scheduled.</summary>
    public IReadOnlyCollection<DefinitionKey> Scheduled
    {
        get { lock (_scheduled) return _scheduled.Keys.ToArray(); }
    }

    /// <summary>Makes the schedule match <paramref name="set"/>.</summary>
    public async Task ApplyAsync(DefinitionSet set, CancellationToken cancellationToken = default)
    {
        var desired = new Dictionary<DefinitionKey, Schedule>();
        foreach (var check in set.Checks.Values)
            desired[new DefinitionKey(DefinitionKind.Check, check.Name)] = check.Schedule;
        foreach (var collector in set.Collectors.Values)
            desired[new DefinitionKey(DefinitionKind.Collector, collector.Name)] = collector.Schedule;
        foreach (var apply in set.Applies.Values)
            if (apply.Schedule is { } schedule)
                desired[new DefinitionKey(DefinitionKind.Apply, apply.Name)] = schedule;

        await _applying.WaitAsync(cancellationToken);
        try
        {
            foreach (var key in _scheduled.Keys.Where(k => !desired.ContainsKey(k)).ToArray())
            {
                await _scheduler.DeleteJob(JobKeyOf(key), cancellationToken);
                lock (_scheduled) _scheduled.Remove(key);
            }
            foreach (var (key, schedule) in desired)
            {
                var signature = Signature(schedule);
                if (_scheduled.TryGetValue(key, out var existing) && existing == signature)
                    continue;
                var job = JobBuilder.Create<FireJob>().WithIdentity(JobKeyOf(key)).UsingJobData(KeyData, key.ToString()).Build();
                var trigger = TriggerBuilder.Create(TimeProvider.System)
                    .WithIdentity(key.ToString(), "narada")
                    .ForJob(job)
                    .StartAt(FirstFiring(schedule, DateTimeOffset.UtcNow))
                    .WithSchedule(Build(schedule))
                    .Build();
                await _scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions { Replace = true }, cancellationToken);
                lock (_scheduled) _scheduled[key] = signature;
            }
        }
        finally
        {
            _applying.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _scheduler.Shutdown(false, CancellationToken.None);
        _applying.Dispose();
    }

    /// <summary>
    /// When an interval schedule first fires: at a whole multiple of its interval since the Unix epoch, so every member
    /// of a cluster (and a controller after a restart) fires at the same instants, whichever started when. With members
    /// out of phase, runs won by different members could come closer than one interval, though each interval ran once.
    /// Cron schedules are on the wall clock already.
    /// </summary>
    public static DateTimeOffset FirstFiring(Schedule schedule, DateTimeOffset now)
    {
        if (schedule.Every is not { } every || every <= TimeSpan.Zero)
            return now;
        long period = (long)every.TotalMilliseconds, ms = now.ToUnixTimeMilliseconds();
        return DateTimeOffset.FromUnixTimeMilliseconds((ms + period - 1) / period * period);
    }

    private static IScheduleBuilder Build(Schedule schedule)
    {
        if (schedule.Every is { } every)
            return SimpleScheduleBuilder.Create().WithInterval(every).RepeatForever();
        var cron = schedule.Cron!;
        var builder = CronScheduleBuilder.Create(cron.ToQuartz()); // the form the validator checked
        return cron.TimeZone is { } zone ? builder.InTimeZone(zone) : builder;
    }

    private static string Signature(Schedule schedule) =>
        schedule.Every is { } every ? $"every {every.Ticks}" : $"cron {schedule.Cron!.Expression} {schedule.Cron.TimeZone?.Id}";

    private static JobKey JobKeyOf(DefinitionKey key) => new(key.ToString(), "narada");

    /// <summary>The Quartz job: hands the firing to the controller's dispatcher.</summary>
    private sealed class FireJob(Func<DefinitionKey, DateTimeOffset, ValueTask> onFire) : IJob
    {
        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            var key = DefinitionKey.Parse((string)context.MergedJobDataMap[KeyData]!);
            return onFire(key, context.ScheduledFireTimeUtc ?? context.FireTimeUtc);
        }
    }

    private sealed class FireJobFactory(Func<DefinitionKey, DateTimeOffset, ValueTask> onFire) : IJobFactory
    {
        public ValueTask<JobScope> CreateJob(TriggerFiredBundle bundle, IScheduler scheduler, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new JobScope(new FireJob(onFire), null!));

        public ValueTask ReturnJob(JobScope scope, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
