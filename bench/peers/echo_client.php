<?php
// Benchmark client: N synchronous foreground (or background) echo jobs, one after the other, like a web request
// handler calling doNormal(). Prints "<jobs> <seconds>" on success.
// usage: php echo_client.php HOST PORT JOBS PAYLOAD_BYTES [fg|bg]
[$_, $host, $port, $jobs, $size] = $argv;
$mode = $argv[5] ?? "fg";
$client = new GearmanClient();
$client->addServer($host, (int)$port);
$payload = str_repeat("x", (int)$size);
$start = microtime(true);
for ($i = 0; $i < (int)$jobs; $i++) {
    if ($mode === "bg") {
        $client->doBackground("echo", $payload);
    } else {
        $result = $client->doNormal("echo", $payload);
        if ($result !== $payload) {
            fwrite(STDERR, "bad result at job $i: return code " . $client->returnCode() . "\n");
            exit(1);
        }
    }
    if ($client->returnCode() !== GEARMAN_SUCCESS) {
        fwrite(STDERR, "job $i failed: " . $client->error() . "\n");
        exit(1);
    }
}
printf("%d %.6f\n", $jobs, microtime(true) - $start);
