<?php
// Queues low, normal and high background jobs (no worker yet), then prints the handles in submit order.
$client = new GearmanClient();
$client->addServer($argv[1], (int)$argv[2]);
$function = $argv[3];
echo $client->doLowBackground($function, "low"), "\n";
echo $client->doBackground($function, "normal"), "\n";
echo $client->doHighBackground($function, "high"), "\n";
