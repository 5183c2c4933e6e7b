<?php
// The seed's reverse client; php-gearman 2.x calls do() doNormal().
$client = new GearmanClient();
$client->addServers(getenv('GEARMAN_SERVER') ?: '127.0.0.1:4730');
print $client->doNormal('reverse', $argv[1] ?? 'Hello World!') . "\n";
exit($client->returnCode() == GEARMAN_SUCCESS ? 0 : 1);
