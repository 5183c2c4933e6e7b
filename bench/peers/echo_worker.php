<?php
// Echo worker for benchmarks: registers `echo`, answers every job with its workload.
// usage: php echo_worker.php HOST PORT
$worker = new GearmanWorker();
$worker->addServer($argv[1], (int)$argv[2]);
$worker->addFunction("echo", function (GearmanJob $job) { return $job->workload(); });
while ($worker->work()) {
}
