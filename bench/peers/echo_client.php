<?php
// Benchmark client: N synchronous foreground (or background) echo jobs, one after the other, like a web request
// handler calling doNormal(). Prints "<jobs> <seconds>" on success; with LATENCY_FILE it also writes each call's
// duration in microseconds there, one a line.
// usage: php echo_client.php HOST PORT JOBS PAYLOAD_BYTES [fg|bg] [FUNCTION] [LATENCY_FILE]
[$_, $host, $port, $jobs, $size] = $argv;
$mode = $argv[5] ?? "fg";
$function = $argv[6] ?? "echo";
$latencyFile = $argv[7] ?? null;
$client = new GearmanClient();
$client->addServer($host, (int)$port);
$payload = str_repeat("x", (int)$size);
$latencies = [];
$start = microtime(true);
for ($i = 0; $i < (int)$jobs; $i++) {
    $t0 = hrtime(true);
    if ($mode === "bg") {
        $client->doBackground($function, $payload);
    } else {
        $result = $client->doNormal($function, $payload);
        if ($result !== $payload) {
            fwrite(STDERR, "bad result at job $i: return code " . $client->returnCode() . "\n");
            exit(1);
        }
    }
    $latencies[] = intdiv(hrtime(true) - $t0, 1000);
    if ($client->returnCode() !== GEARMAN_SUCCESS) {
        fwrite(STDERR, "job $i failed: " . $client->error() . "\n");
        exit(1);
    }
}
$elapsed = microtime(true) - $start;
if ($latencyFile !== null) {
    file_put_contents($latencyFile, implode("\n", $latencies) . "\n");
}
printf("%d %.6f\n", $jobs, $elapsed);
