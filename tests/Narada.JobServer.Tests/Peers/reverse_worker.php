<?php
// The seed's PHP reverse worker: serves "reverse" for N jobs, then exits.
$worker = new GearmanWorker();
$worker->addServer($argv[1], (int)$argv[2]);
$worker->addFunction("reverse", function (GearmanJob $job) {
    return strrev($job->workload());
});
$jobs = (int)($argv[3] ?? 1);
for ($i = 0; $i < $jobs; $i++) {
    if (!$worker->work() || $worker->returnCode() != GEARMAN_SUCCESS) {
        fwrite(STDERR, "work failed: " . $worker->error() . "\n");
        exit(1);
    }
}
