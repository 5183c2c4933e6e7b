<?php
// The seed's PHP reverse client: one foreground job, prints the result.
$client = new GearmanClient();
$client->addServer($argv[1], (int)$argv[2]);
$result = $client->doNormal("reverse", $argv[3]);
if ($client->returnCode() != GEARMAN_SUCCESS) {
    fwrite(STDERR, "job failed: " . $client->error() . "\n");
    exit(1);
}
echo $result, "\n";
