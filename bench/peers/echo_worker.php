<?php
// Echo worker for benchmarks: registers FUNCTION (default `echo`), answers every job with its workload.
// usage: php echo_worker.php HOST PORT [FUNCTION]
$function = $argv[3] ?? "echo";
$worker = new GearmanWorker();
$worker->addServer($argv[1], (int)$argv[2]);
$worker->addFunction($function, function (GearmanJob $job) { return $job->workload(); });
while ($worker->work()) {
}
