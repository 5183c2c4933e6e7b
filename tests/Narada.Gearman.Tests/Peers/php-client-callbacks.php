<?php
// Usage: php php-client-callbacks.php HOST PORT FUNCTION WORKLOAD — one job, every callback printed as a line.
[$_, $host, $port, $function, $workload] = $argv;
$client = new GearmanClient();
$client->addServer($host, (int)$port);
// GEARMAN_CLIENT_EXCEPTION (1 << 7) is not exported by the extension; it makes libgearman ask the server for
// WORK_EXCEPTION forwarding (OPTION_REQ "exceptions").
$client->addOptions(1 << 7);
// callbacks return nothing: a returned value would be taken as a libgearman return code
$client->setDataCallback(function ($t) { echo "data:" . $t->data() . "\n"; });
$client->setWarningCallback(function ($t) { echo "warning:" . $t->data() . "\n"; });
$client->setStatusCallback(function ($t) { echo "status:" . $t->taskNumerator() . "/" . $t->taskDenominator() . "\n"; });
$client->setExceptionCallback(function ($t) { echo "exception:" . $t->data() . "\n"; });
$client->setFailCallback(function ($t) { echo "fail\n"; });
$client->setCompleteCallback(function ($t) { echo "complete:" . $t->data() . "\n"; });
$client->addTask($function, $workload);
$client->runTasks();
