using Prometheus;

namespace Narada.Controller.Metrics;

/// <summary>The controller's own counters (prometheus-net), in a registry of its own so several controllers can share a process.</summary>
public sealed class ControllerMetrics
{
    public ControllerMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        Firings = factory.CreateCounter("narada_scheduler_firings_total", "Times the scheduler fired a definition.", "kind");
        Dispatched = factory.CreateCounter("narada_dispatch_jobs_total", "Jobs submitted to agents.", "kind");
        DispatchErrors = factory.CreateCounter("narada_dispatch_errors_total", "Submissions the job servers refused or could not take.", "kind");
        Pending = factory.CreateGauge("narada_dispatch_pending", "Dispatches waiting for their splay offset.");
        Results = factory.CreateCounter("narada_results_received_total", "Messages taken from narada.results.", "type");
        InvalidResults = factory.CreateCounter("narada_results_invalid_total", "Messages on narada.results that could not be read.");
        HandlerRuns = factory.CreateCounter("narada_handler_runs_total", "Handler runs by outcome.", "handler", "outcome");
        Reloads = factory.CreateCounter("narada_config_reloads_total", "Definition reloads by outcome.", "outcome");
        LastReloadSuccessful = factory.CreateGauge("narada_config_last_reload_successful",
            "1 when the definitions running are the ones on disk (the last reload, or the start, took them), 0 when the last reload was refused.");
        LastReloadSuccessful.Set(1);
        ApplyLastRun = factory.CreateGauge("narada_apply_last_run_timestamp_seconds", "When each apply last finished a rollout (Unix time).", "apply");
        ApplyOutcomes = factory.CreateCounter("narada_apply_files_total", "Files applied by outcome (changed, unchanged, refused, failed, rolled_back, skipped).", "apply", "outcome");
        ResultLatency = factory.CreateHistogram("narada_result_latency_seconds", "Time from a check's scheduled run to its result at the controller.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.005, 2, 14) });
        ClusterMembers = factory.CreateGauge("narada_cluster_members",
            "Controllers in this one's cluster that checked in lately (1 for a controller on SQLite); every member says the same.");
        ClusterLeader = factory.CreateGauge("narada_cluster_leader",
            "1 on the member that exports the fleet's series (check states, hosts, agent series) and sweeps; 0 on the others.");
        ClaimsLost = factory.CreateCounter("narada_cluster_claims_lost_total",
            "Firings this member did not run because another member had claimed the interval.");
        AuthFailures = factory.CreateCounter("narada_http_auth_failures_total",
            "Sign-ins the HTTP endpoint refused: a wrong password on the login page (login) or an unknown bearer token (token).", "via");
        AuthThrottled = factory.CreateCounter("narada_http_auth_throttled_total",
            "Sign-ins refused unchecked because the user or address had failed too often lately.");
        Logins = factory.CreateCounter("narada_http_logins_total", "Dashboard logins that started a session.");
        foreach (var via in new[] { "login", "token" })
            AuthFailures.WithLabels(via);
        RemoteWriteSamples = factory.CreateCounter("narada_remote_write_samples_total", "Samples the remote-write receiver took.");
        RemoteWriteFailures = factory.CreateCounter("narada_remote_write_failures_total",
            "Remote-write requests that failed: retried (the receiver was away or answered 5xx/429) or rejected (another 4xx: dropped).", "outcome");
        RemoteWriteDropped = factory.CreateCounter("narada_remote_write_dropped_samples_total",
            "Samples never sent: dropped oldest first while the receiver was away past the buffer, or rejected by it.");
        RemoteWritePending = factory.CreateGauge("narada_remote_write_pending_samples", "Samples waiting for the remote-write receiver.");
    }

    public Counter RemoteWriteSamples { get; }
    public Counter RemoteWriteFailures { get; }
    public Counter RemoteWriteDropped { get; }
    public Gauge RemoteWritePending { get; }

    public Counter AuthFailures { get; }
    public Counter AuthThrottled { get; }
    public Counter Logins { get; }

    public Gauge ClusterMembers { get; }
    public Gauge ClusterLeader { get; }
    public Counter ClaimsLost { get; }

    public CollectorRegistry Registry { get; }
    public Counter Firings { get; }
    public Counter Dispatched { get; }
    public Counter DispatchErrors { get; }
    public Gauge Pending { get; }
    public Counter Results { get; }
    public Counter InvalidResults { get; }
    public Counter HandlerRuns { get; }
    public Counter Reloads { get; }
    public Gauge LastReloadSuccessful { get; }
    public Histogram ResultLatency { get; }
    public Gauge ApplyLastRun { get; }
    public Counter ApplyOutcomes { get; }
}
