<?php
// What checking an order in native code costs next to PHP encoding it:
// seQura's example order (every field of the document), validated and
// encoded by the extension, against PHP's own json_encode of the same
// array, measured in the same run. Run with scripts/bench.sh.

// The example's eight problems mended.
$order = require __DIR__ . '/../../tests/php/seed_order_mended.inc';
$options = ['contract' => ['services', 'garage', 'instore']];

$problems = Sequra\Order::validate($order, $options);
if ($problems !== []) {
    fwrite(STDERR, "the example is not valid: " . json_encode($problems) . "\n");
    exit(1);
}

// `ORDER_BENCH_PROFILE=encode` (or `validate`, `json_encode`, `setup`) runs
// only that, 2000 times, for `valgrind --tool=callgrind`: instruction counts
// are steady where timings on a shared machine are not (subtract `setup`;
// docs/order-speed.md has the commands).
$profile = getenv('ORDER_BENCH_PROFILE');
if ($profile !== false) {
    for ($i = 0; $i < 2000; $i++) {
        match ($profile) {
            'encode' => Sequra\Order::encode($order, $options),
            'validate' => Sequra\Order::validate($order, $options),
            'json_encode' => json_encode($order),
            default => null,
        };
    }
    exit(0);
}

/**
 * Nanoseconds per call of each of $calls: the best of several timed
 * batches, the calls taking turns batch by batch so that a slower moment of
 * a shared machine weighs on all of them alike.
 */
function per_call(array $calls, int $batch = 1000, int $rounds = 15): array
{
    $best = array_fill_keys(array_keys($calls), INF);
    for ($round = 0; $round < $rounds; $round++) {
        foreach ($calls as $name => $f) {
            $start = hrtime(true);
            for ($i = 0; $i < $batch; $i++) {
                $f();
            }
            $best[$name] = min($best[$name], (hrtime(true) - $start) / $batch);
        }
    }
    return $best;
}

$baseline = 'baseline: PHP json_encode';
$times = per_call([
    $baseline => fn () => json_encode($order),
    'Sequra\Order::validate' => fn () => Sequra\Order::validate($order, $options),
    'Sequra\Order::encode (validate + encode)' => fn () => Sequra\Order::encode($order, $options),
]);
printf("seQura example order (%d bytes of JSON), PHP %s\n", strlen(json_encode($order)), PHP_VERSION);
foreach ($times as $name => $ns) {
    printf("%-42s %9.0f ns  %.2fx\n", $name, $ns, $ns / $times[$baseline]);
}
