<?php
// The seed's reverse worker (OSCON 2009), unchanged but for the server list: serves "reverse" for any client.
$worker = new GearmanWorker();
$worker->addServers(getenv('GEARMAN_SERVER') ?: '127.0.0.1:4730');
$worker->addFunction('reverse', 'my_reverse_function');
while ($worker->work());

function my_reverse_function($job)
{
    return strrev($job->workload());
}
