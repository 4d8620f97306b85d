<?php
// What the extension costs per call next to the least a client can do:
// Sequra\Client::getIdentificationForm (GET {order}/form_v2, the cheapest
// call: nothing to encode, no JSON to read, a short string handed back)
// from one long-lived PHP process, against the same request as pre-built
// bytes on a raw keep-alive socket (PHP streams; TLS by OpenSSL), to the
// same sandbox, over HTTP and HTTPS. Batches take turns round by round;
// each call is timed alone. Run by scripts/bench.sh, quiet and again with
// two busy loops on the cores.
//
// php -d extension=libsequra_php.so transport.php LABEL HTTP_URL HTTPS_URL CA_FILE ROUNDS BATCH

require __DIR__ . '/../../bench/php/stats.inc';
require __DIR__ . '/../../bench/php/keepalive.inc';
require __DIR__ . '/../../tests/php/sequra.inc'; // small_order(), the demo account

[, $label, $httpUrl, $httpsUrl, $caFile, $rounds, $batch] = $argv + array_fill(0, 7, null);
if ($batch === null) {
    fwrite(STDERR, "usage: php transport.php LABEL HTTP_URL HTTPS_URL CA_FILE ROUNDS BATCH\n");
    exit(2);
}
$rounds = (int) $rounds;
$batch = (int) $batch;

/** The client and the raw socket of one sandbox, both warmed up. */
function pair(string $url, ?string $caFile): array
{
    $client = new Sequra\Client([
        'endpoint' => $url,
        'merchant' => DEMO_MERCHANT,
        'username' => DEMO_USERNAME,
        'password' => DEMO_PASSWORD,
    ] + ($caFile === null ? [] : ['ca_file' => $caFile]));
    $uuid = order_uuid($client->startSolicitation(small_order()));
    $raw = new KeepAliveSocket($url, $caFile);
    // What the client sends, as fixed bytes.
    $request = identification_form_request(
        $raw,
        $uuid,
        DEMO_USERNAME,
        DEMO_PASSWORD,
        'sequra/bench PHP/' . PHP_VERSION,
    );
    $calls = [
        'raw' => function () use ($raw, $request) {
            [$status] = $raw->exchange($request);
            if ($status !== 200) {
                throw new RuntimeException("the raw request answered $status");
            }
        },
        'ext' => fn () => $client->getIdentificationForm($uuid),
    ];
    foreach ($calls as $call) {
        for ($i = 0; $i < 20; $i++) {
            $call();
        }
    }
    return $calls;
}

$transports = ['HTTP' => pair($httpUrl, null), 'HTTPS' => pair($httpsUrl, $caFile)];
// Every (transport, raw|ext) batch, in an order that rotates each round.
$batches = [];
foreach ($transports as $transport => $calls) {
    foreach (array_keys($calls) as $who) {
        $batches[] = [$transport, $who];
    }
}
$perCall = [];
for ($round = 0; $round < $rounds; $round++) {
    foreach ($batches as [$transport, $who]) {
        $call = $transports[$transport][$who];
        // Each call timed alone: the medians then skip the moments another
        // tenant of the machine took the CPU.
        for ($i = 0; $i < $batch; $i++) {
            $start = hrtime(true);
            $call();
            $perCall[$transport][$who][$round][] = hrtime(true) - $start;
        }
    }
    $batches[] = array_shift($batches);
}

printf("%s (%d rounds of %d calls each):\n", $label, $rounds, $batch);
printf("%-6s %26s %26s  %s\n", '', 'raw socket, µs/call', 'extension, µs/call', 'extension / raw');
foreach ($perCall as $transport => $times) {
    printf(
        "%-6s %26s %26s  %s\n",
        $transport,
        median_and_spread(array_merge(...$times['raw']), 1e3, '%.1f'),
        median_and_spread(array_merge(...$times['ext']), 1e3, '%.1f'),
        ratio_of($times['ext'], $times['raw']),
    );
}
