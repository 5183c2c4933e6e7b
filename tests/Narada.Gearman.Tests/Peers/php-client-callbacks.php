<?php
// Usage: php php-client-callbacks.php HOST PORT FUNCTION WORKLOAD — one job, every callback printed as a line.
[$_, $host, $port, $function, $workload] = $argv;
$client = new GearmanClient();
$client->addServer($host, (int)$port);
// GEARMAN_CLIENT_EXCEPTION (1 << 7) is not exported by the extension; it makes libgearman ask the server for
// WORK_EXCEPTION forwarding (OPTION_REQ "exceptions").
$client->addOptions(1 << 7);
$client->setDataCallback(fn($t) => print("data:" . $t->data() . "\n"));
$client->setWarningCallback(fn($t) => print("warning:" . $t->data() . "\n"));
$client->setStatusCallback(fn($t) => print("status:" . $t->taskNumerator() . "/" . $t->taskDenominator() . "\n"));
$client->setExceptionCallback(fn($t) => print("exception:" . $t->data() . "\n"));
$client->setFailCallback(fn($t) => print("fail\n"));
$client->setCompleteCallback(fn($t) => print("complete:" . $t->data() . "\n"));
$client->addTask($function, $workload);
$client->runTasks();
