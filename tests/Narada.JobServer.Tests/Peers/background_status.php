<?php
// Submits one background job and prints its handle and GET_STATUS as "known running numerator denominator".
$client = new GearmanClient();
$client->addServer($argv[1], (int)$argv[2]);
$handle = $client->doBackground($argv[3], $argv[4], $argv[5] ?? null);
if ($client->returnCode() != GEARMAN_SUCCESS) {
    fwrite(STDERR, "submit failed: " . $client->error() . "\n");
    exit(1);
}
$status = $client->jobStatus($handle);
echo $handle, "\n", ($status[0] ? 1 : 0), " ", ($status[1] ? 1 : 0), " ", $status[2], " ", $status[3], "\n";
