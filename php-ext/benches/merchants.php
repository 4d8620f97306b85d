<?php
// A marketplace's worker: one PHP process serving many merchants in turn,
// a new client for each call as each PHP request makes one. The pool keys
// a connection by endpoint and credentials, so each merchant has its own;
// this measures whether they are still there when the merchant comes back.
// Sequra\Client::getIdentificationForm over HTTPS, one merchant against
// MERCHANTS of them served in turn; the baseline is the same request's
// bytes on raw keep-alive sockets, one, and one per merchant in turn (a
// connection that waited its turn is cold on both sides, the library's or
// not). Batches take turns round by round, each call timed alone; TCP
// connects and TLS handshakes per call from the sandbox's counters. The
// sandbox has one account: each "merchant" is that account with a user
// agent of its own, which the pool keys by as it does by credentials. Run
// by scripts/bench.sh.
//
// php -d extension=libsequra_php.so merchants.php HTTPS_URL CA_FILE MERCHANTS ROUNDS

require __DIR__ . '/../../bench/php/stats.inc';
require __DIR__ . '/../../bench/php/keepalive.inc';
require __DIR__ . '/../../tests/php/sequra.inc'; // small_order(), the demo account

[, $url, $caFile, $merchants, $rounds] = $argv + array_fill(0, 5, null);
if ($rounds === null) {
    fwrite(STDERR, "usage: php merchants.php HTTPS_URL CA_FILE MERCHANTS ROUNDS\n");
    exit(2);
}
$merchants = (int) $merchants;
$rounds = (int) $rounds;

/** A new client, as a PHP request makes one, for merchant $n. */
function client_of(int $n): Sequra\Client
{
    global $url, $caFile;
    return new Sequra\Client([
        'endpoint' => $url,
        'merchant' => DEMO_MERCHANT,
        'username' => DEMO_USERNAME,
        'password' => DEMO_PASSWORD,
        'ca_file' => $caFile,
        'user_agent' => "merchant-$n",
    ]);
}

/** The sandbox's counters: connections and TLS handshakes so far. */
function counters(): array
{
    global $url, $caFile;
    $context = stream_context_create(['ssl' => ['cafile' => $caFile]]);
    $stats = json_decode(file_get_contents("$url/sandbox/stats", false, $context), true);
    return [$stats['connections'], $stats['tls_full_handshakes'] + $stats['tls_resumed_handshakes']];
}

$uuid = order_uuid(client_of(0)->startSolicitation(small_order()));
/** The bytes the client sends for merchant $n, on its own raw socket. */
function raw_call(string $uuid): callable
{
    global $url, $caFile;
    $sockets = [];
    return function (int $n) use (&$sockets, $uuid, $url, $caFile) {
        $raw = $sockets[$n] ??= new KeepAliveSocket($url, $caFile);
        [$status] = $raw->exchange(
            identification_form_request($raw, $uuid, DEMO_USERNAME, DEMO_PASSWORD, "merchant-$n"),
        );
        if ($status !== 200) {
            throw new RuntimeException("the raw request answered $status");
        }
    };
}
$extension = fn (int $n) => client_of($n)->getIdentificationForm($uuid);
$raw = raw_call($uuid);
// Each variant: who calls, and the merchant of each of its calls (the
// first of each pair keeps to one, the second goes round all of them).
$variants = [
    'raw, one socket' => [$raw, array_fill(0, $merchants, 0)],
    "raw, $merchants in turn" => [$raw, range(1, $merchants)],
    'extension, one merchant' => [$extension, array_fill(0, $merchants, 0)],
    "extension, $merchants in turn" => [$extension, range(1, $merchants)],
];
// Warm: every merchant's connection made once.
foreach ($variants as [$call, $served]) {
    foreach ($served as $n) {
        $call($n);
    }
}
$perCall = [];
$made = array_fill_keys(array_keys($variants), [0, 0]);
for ($round = 0; $round < $rounds; $round++) {
    foreach ($variants as $name => [$call, $served]) {
        $before = counters();
        foreach ($served as $n) {
            $start = hrtime(true);
            $call($n);
            $perCall[$name][$round][] = hrtime(true) - $start;
        }
        $after = counters();
        // (The counters' own request made one connection.)
        $made[$name][0] += $after[0] - $before[0] - 1;
        $made[$name][1] += $after[1] - $before[1] - 1;
    }
    $variants = array_merge(array_slice($variants, 1, null, true), array_slice($variants, 0, 1, true));
}

$calls = $merchants * $rounds;
printf("%-28s %18s %14s %16s\n", '', 'µs/call', 'connects/call', 'handshakes/call');
foreach ($perCall as $name => $times) {
    printf(
        "%-28s %18s %14.2f %16.2f\n",
        $name,
        median_and_spread(array_merge(...$times), 1e3, '%.0f'),
        $made[$name][0] / $calls,
        $made[$name][1] / $calls,
    );
}
$inTurn = "$merchants in turn";
printf("ratios (target: the extension's connects/call in turn 0):\n");
printf("  extension / raw, one merchant   %s\n", ratio_of($perCall['extension, one merchant'], $perCall['raw, one socket']));
printf("  extension / raw, %-14s %s\n", $inTurn, ratio_of($perCall["extension, $inTurn"], $perCall["raw, $inTurn"]));
printf("  extension: in turn / one        %s\n", ratio_of($perCall["extension, $inTurn"], $perCall['extension, one merchant']));
