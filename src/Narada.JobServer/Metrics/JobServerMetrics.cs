using Narada.JobServer.Engine;
using Prometheus;

namespace Narada.JobServer.Metrics;

/// <summary>
/// The job server's Prometheus metrics, in a registry of its own so several servers can live in one process. Counters
/// and histograms are updated as things happen; gauges are read from an engine snapshot at scrape time.
/// </summary>
internal sealed class JobServerMetrics
{
    private readonly Counter _submitted;
    private readonly Counter _completed;
    private readonly Counter _failed;
    private readonly Counter _retried;
    private readonly Counter _coalesced;
    private readonly Counter _dropped;
    private readonly Counter.Child _grabsAssigned;
    private readonly Counter.Child _grabsEmpty;
    private readonly Histogram _wait;
    private readonly Histogram _run;
    private readonly Histogram _persist;
    private readonly Gauge _queued;
    private readonly Gauge _running;
    private readonly Gauge _workers;
    private readonly Gauge _connections;
    private readonly Gauge _connectionLimit;
    private readonly Counter _refused;
    private readonly Gauge _certificateExpiry;
    private readonly HashSet<string> _knownFunctions = new(StringComparer.Ordinal);

    public JobServerMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        // No exemplars: nothing here carries a trace, and looking for one costs on every job.
        factory.ExemplarBehavior = new ExemplarBehavior { DefaultExemplarProvider = static (_, _) => Exemplar.None };
        _submitted = factory.CreateCounter("narada_jobserver_jobs_submitted_total", "Jobs created by SUBMIT_JOB* (coalesced submits excluded).");
        _completed = factory.CreateCounter("narada_jobserver_jobs_completed_total", "Jobs that ended with WORK_COMPLETE.");
        _failed = factory.CreateCounter("narada_jobserver_jobs_failed_total", "Jobs that ended with WORK_FAIL, WORK_EXCEPTION or too many retries.");
        _retried = factory.CreateCounter("narada_jobserver_jobs_retried_total", "Jobs requeued after their worker left or timed out.");
        _coalesced = factory.CreateCounter("narada_jobserver_jobs_coalesced_total", "Submits joined to an existing job with the same unique key.");
        _dropped = factory.CreateCounter("narada_jobserver_jobs_dropped_total", "Foreground jobs dropped because their clients left.");
        var grabs = factory.CreateCounter("narada_jobserver_grabs_total",
            "GRAB_JOB* requests by answer: a job, or NO_JOB (many NO_JOBs per job: workers polling harder than the work needs).",
            new CounterConfiguration { LabelNames = ["result"] });
        _grabsAssigned = grabs.WithLabels("job");
        _grabsEmpty = grabs.WithLabels("no_job");
        var seconds = Histogram.ExponentialBuckets(0.0001, 4, 12);
        _wait = factory.CreateHistogram("narada_jobserver_job_queue_wait_seconds", "Time from enqueue to assignment to a worker.",
            new HistogramConfiguration { Buckets = seconds });
        _run = factory.CreateHistogram("narada_jobserver_job_run_seconds", "Time from assignment to WORK_COMPLETE/FAIL/EXCEPTION.",
            new HistogramConfiguration { Buckets = seconds });
        _persist = factory.CreateHistogram("narada_jobserver_persistence_commit_seconds", "Duration of one group commit to the persistent queue.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0001, 2, 16) });
        _queued = factory.CreateGauge("narada_jobserver_jobs_queued", "Jobs waiting for a worker.",
            new GaugeConfiguration { LabelNames = ["function", "priority"] });
        _running = factory.CreateGauge("narada_jobserver_jobs_running", "Jobs held by a worker.",
            new GaugeConfiguration { LabelNames = ["function"] });
        _workers = factory.CreateGauge("narada_jobserver_workers", "Connections that registered the function.",
            new GaugeConfiguration { LabelNames = ["function"] });
        _connections = factory.CreateGauge("narada_jobserver_connections", "Open client, worker and admin connections.");
        _connectionLimit = factory.CreateGauge("narada_jobserver_connections_limit",
            "Connections the server accepts at most: its connection cap, or less when the open-file limit leaves less room.");
        // Absent without TLS: a 0 would read as a certificate that expired in 1970.
        _certificateExpiry = factory.CreateGauge("narada_jobserver_tls_certificate_expiry_timestamp_seconds",
            "When the TLS certificate the job server presents stops being valid (Unix time); follows a reload.",
            new GaugeConfiguration { SuppressInitialValue = true });
        _refused = factory.CreateCounter("narada_jobserver_connections_refused_total",
            "Connections closed at accept because the limit was reached.");
    }

    public CollectorRegistry Registry { get; }

    public void Submitted() => _submitted.Inc();
    public void Completed() => _completed.Inc();
    public void Failed() => _failed.Inc();
    public void Retried() => _retried.Inc();
    public void Coalesced() => _coalesced.Inc();
    public void Dropped() => _dropped.Inc();
    public void Grabbed(bool gotJob) => (gotJob ? _grabsAssigned : _grabsEmpty).Inc();
    public void Waited(TimeSpan time) => _wait.Observe(time.TotalSeconds);
    public void Ran(TimeSpan time) => _run.Observe(time.TotalSeconds);
    public void Persisted(TimeSpan time) => _persist.Observe(time.TotalSeconds);
    public void ConnectionLimit(int limit) => _connectionLimit.Set(limit);
    public void Refused() => _refused.Inc();
    public void CertificateExpires(DateTimeOffset notAfter) => _certificateExpiry.Set(notAfter.ToUnixTimeSeconds());

    /// <summary>Reads the gauges from the engine before each scrape.</summary>
    public void Attach(JobEngine engine) => Registry.AddBeforeCollectCallback(() => Update(engine.Snapshot()));

    private void Update(EngineSnapshot snapshot)
    {
        _connections.Set(snapshot.Connections);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in snapshot.Functions)
        {
            seen.Add(f.Name);
            _queued.WithLabels(f.Name, "high").Set(f.High);
            _queued.WithLabels(f.Name, "normal").Set(f.Normal);
            _queued.WithLabels(f.Name, "low").Set(f.Low);
            _running.WithLabels(f.Name).Set(f.Running);
            _workers.WithLabels(f.Name).Set(f.Workers);
        }
        lock (_knownFunctions)
        {
            foreach (var gone in _knownFunctions.Where(n => !seen.Contains(n)).ToArray())
            {
                foreach (var p in (string[])["high", "normal", "low"])
                    _queued.RemoveLabelled(gone, p);
                _running.RemoveLabelled(gone);
                _workers.RemoveLabelled(gone);
                _knownFunctions.Remove(gone);
            }
            _knownFunctions.UnionWith(seen);
        }
    }
}
