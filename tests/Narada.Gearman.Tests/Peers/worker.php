<?php
// A stock PHP GearmanWorker serving the functions named on the command line.
// Usage: php worker.php host:port[,host:port...] function [function...]
$worker = new GearmanWorker();
foreach (explode(',', $argv[1]) as $server) {
    [$host, $port] = explode(':', $server);
    $worker->addServer($host, (int)$port);
}

$functions = [
    // The seed example: reverse a string.
    'reverse' => fn(GearmanJob $job) => strrev($job->workload()),
    'echo' => fn(GearmanJob $job) => $job->workload(),
    // Workload n: n rounds of status i/n and data "chunk<i>;", one warning, then "done".
    'stream' => function (GearmanJob $job) {
        $n = (int)$job->workload();
        for ($i = 1; $i <= $n; $i++) {
            $job->sendStatus($i, $n);
            $job->sendData("chunk$i;");
        }
        $job->sendWarning('careful');
        return 'done';
    },
    // Raises a Gearman exception with the workload in its text. (Adding setReturn(GEARMAN_WORK_EXCEPTION) would leave
    // the PHP worker in GEARMAN_UNKNOWN_STATE; the exception packet alone ends the job in gearmand 1.1.)
    'explode' => function (GearmanJob $job) {
        $job->sendException('boom: ' . $job->workload());
        return '';
    },
    'fail' => function (GearmanJob $job) {
        $job->setReturn(GEARMAN_WORK_FAIL);
        return '';
    },
    // Prints each workload on its own line, in the order jobs arrive, and echoes it.
    'record' => function (GearmanJob $job) {
        fwrite(STDOUT, $job->workload() . "\n");
        fflush(STDOUT);
        return $job->workload();
    },
];

foreach (array_slice($argv, 2) as $name) {
    $worker->addFunction($name, $functions[$name]);
}
while ($worker->work() || $worker->returnCode() == GEARMAN_IO_WAIT || $worker->returnCode() == GEARMAN_NO_JOBS) {
    if ($worker->returnCode() == GEARMAN_IO_WAIT) {
        @$worker->wait();
    }
}
fwrite(STDERR, 'worker stopped: ' . $worker->error() . "\n");
