<?php
// Usage: php php-client-do.php HOST PORT FUNCTION WORKLOAD — one foreground job, the result on stdout.
[$_, $host, $port, $function, $workload] = $argv;
$client = new GearmanClient();
$client->addServer($host, (int)$port);
// doNormal on php-gearman >= 1.0; do() on older extensions
$result = method_exists($client, 'doNormal') ? $client->doNormal($function, $workload) : $client->do($function, $workload);
if ($client->returnCode() !== GEARMAN_SUCCESS) {
    fwrite(STDERR, "return code " . $client->returnCode() . ": " . $client->error() . "\n");
    exit(1);
}
echo $result, "\n";
