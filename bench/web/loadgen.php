<?php
// The web model's load generator: sequential requests (one at a time, on
// one keep-alive connection to nginx) to bench/web/flow.php, the clients
// taking turns batch by batch, so that a slower moment of a shared
// machine weighs on all of them alike. Prints each client's time per PHP request
// (median and p25–p75), the ratios between them, and from the sandbox's
// own counters the TCP connections, TLS handshakes and the sandbox's own
// time per PHP request (a slow sandbox shrinks every ratio: its time is
// every client's).
//
// php loadgen.php WEB_URL SANDBOX_URL CA_FILE ROUNDS PER_ROUND

require __DIR__ . '/../php/stats.inc';

[, $web, $sandbox, $caFile, $rounds, $perRound] = $argv + array_fill(0, 6, null);
if ($perRound === null) {
    fwrite(STDERR, "usage: php loadgen.php WEB_URL SANDBOX_URL CA_FILE ROUNDS PER_ROUND\n");
    exit(2);
}
$rounds = (int) $rounds;
$perRound = (int) $perRound;

const CLIENTS = [
    'pooled' => "(a) extension, 'persistent' => true",
    'fresh' => '(b) extension, no pool',
    'curl' => '(c) curl per call, as sequra/php-client',
];
const WARM_UP = 5;
const COUNTED_BATCHES = 3;
const COUNTED_BATCH = 20;

$page = curl_init();
curl_setopt_array($page, [CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 30]);

/** One PHP request: [nanoseconds it took, nanoseconds of the three calls]. */
function request(CurlHandle $page, string $web, string $client): array
{
    curl_setopt($page, CURLOPT_URL, "$web/flow.php?client=$client");
    $start = hrtime(true);
    $body = curl_exec($page);
    $took = hrtime(true) - $start;
    $status = curl_getinfo($page, CURLINFO_RESPONSE_CODE);
    if ($body === false || $status !== 200 || !preg_match('/^\d+$/', $body)) {
        throw new RuntimeException(sprintf(
            'flow.php?client=%s answered %s: %s',
            $client,
            $status ?: curl_error($page),
            substr((string) $body, 0, 300),
        ));
    }
    return [$took, (int) $body];
}

$statsHandle = curl_init("$sandbox/sandbox/stats");
curl_setopt_array($statsHandle, [CURLOPT_RETURNTRANSFER => true, CURLOPT_CAINFO => $caFile, CURLOPT_TIMEOUT => 10]);

/**
 * The sandbox's counters, and whether reading them opened a connection of
 * its own (then the batch it closes is not counted).
 */
function stats(CurlHandle $handle): array
{
    $body = curl_exec($handle);
    $counters = json_decode((string) $body, true);
    if (!is_array($counters) || !isset($counters['connections'])) {
        throw new RuntimeException('GET /sandbox/stats: ' . substr((string) $body, 0, 200));
    }
    return [$counters, curl_getinfo($handle, CURLINFO_NUM_CONNECTS) > 0];
}

foreach (array_keys(CLIENTS) as $client) {
    for ($i = 0; $i < WARM_UP; $i++) {
        request($page, $web, $client);
    }
}

// Timed: a round is a batch of $perRound requests of each client in turn
// (each first, second and last in turn), so that a slower moment of the
// machine falls on all of them alike. Batches, not single requests: a
// request right after another client's runs on caches that client filled,
// which made (a) twice as slow and measured the mix rather than a client.
$times = $calls = [];
$order = array_keys(CLIENTS);
for ($round = 0; $round < $rounds; $round++) {
    foreach ($order as $client) {
        for ($i = 0; $i < $perRound; $i++) {
            [$took, $callsTook] = request($page, $web, $client);
            $times[$client][$round][] = $took;
            $calls[$client][$round][] = $callsTook;
        }
    }
    $order[] = array_shift($order);
}

// Counted, in the warm worker: batches of each client between two reads
// of the sandbox's counters (on a keep-alive connection of their own).
$counted = array_fill_keys(array_keys(CLIENTS), ['requests' => 0, 'delta' => []]);
stats($statsHandle);
for ($batch = 0; $batch < COUNTED_BATCHES; $batch++) {
    foreach (array_keys(CLIENTS) as $client) {
        [$before] = stats($statsHandle);
        for ($i = 0; $i < COUNTED_BATCH; $i++) {
            request($page, $web, $client);
        }
        [$after, $reconnected] = stats($statsHandle);
        if ($reconnected) {
            continue; // the counters' own connection would count
        }
        $counted[$client]['requests'] += COUNTED_BATCH;
        foreach ($after as $name => $value) {
            // The second GET /sandbox/stats is one request of its own.
            $own = $name === 'requests' ? 1 : 0;
            $counted[$client]['delta'][$name] = ($counted[$client]['delta'][$name] ?? 0)
                + $value - $before[$name] - $own;
        }
    }
}

printf("%-42s %26s %26s\n", 'client', 'per PHP request, µs', 'its 3 client calls, µs');
foreach (CLIENTS as $client => $label) {
    printf(
        "%-42s %26s %26s\n",
        $label,
        median_and_spread(array_merge(...$times[$client]), 1e3),
        median_and_spread(array_merge(...$calls[$client]), 1e3),
    );
}
echo "ratios, per PHP request (target: (c)/(a) >= 3x):\n";
foreach ([['curl', 'pooled'], ['curl', 'fresh'], ['fresh', 'pooled']] as [$slow, $fast]) {
    printf(
        "  %-12s %s   its 3 calls: %s\n",
        sprintf('(%s)/(%s)', substr(CLIENTS[$slow], 1, 1), substr(CLIENTS[$fast], 1, 1)),
        ratio_of($times[$slow], $times[$fast]),
        ratio_of($calls[$slow], $calls[$fast]),
    );
}

echo "\nConnections per PHP request in the warm worker, from the sandbox's counters\n";
echo "(the approval's keep-alive socket included; target for (a): 0 and 0), and the\n";
echo "sandbox's own time working out its 4 answers (every client waits for it alike):\n";
printf("%-42s %12s %14s %16s %16s %12s\n", 'client', 'TCP connects', 'TLS full hs', 'TLS resumed hs', 'HTTP requests', 'sandbox, µs');
foreach (CLIENTS as $client => $label) {
    $n = $counted[$client]['requests'];
    $per = fn (string $name) => $n > 0 ? sprintf('%.2f', $counted[$client]['delta'][$name] / $n) : 'n/a';
    printf(
        "%-42s %12s %14s %16s %16s %12s\n",
        $label,
        $per('connections'),
        $per('tls_full_handshakes'),
        $per('tls_resumed_handshakes'),
        $per('requests'),
        $per('serving_us'),
    );
}
