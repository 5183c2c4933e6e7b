<?php
// Serves one function for N jobs and prints each workload in the order it ran.
$worker = new GearmanWorker();
$worker->addServer($argv[1], (int)$argv[2]);
$worker->addFunction($argv[3], function (GearmanJob $job) {
    echo $job->workload(), "\n";
    return "ok";
});
$jobs = (int)$argv[4];
for ($i = 0; $i < $jobs; $i++) {
    if (!$worker->work() || $worker->returnCode() != GEARMAN_SUCCESS) {
        fwrite(STDERR, "work failed: " . $worker->error() . "\n");
        exit(1);
    }
}
