<?php
// A differential fuzz of the extension's order walk from PHP: seQura's
// example order, mutated at random (wrong types, NAN, INF, text that is not
// UTF-8, references, gaps, lists keyed by id, deep nesting, objects), and
// three judges nobody on the team wrote or that are written apart:
//
// - Sequra\Order::validate() finds no problem exactly when encode()
//   succeeds, and encode() refuses with the very problems validate() lists;
// - an order encode() takes is written byte for byte as PHP's json_encode()
//   writes it (for an order without floats, which serde_json writes its way);
// - every problem has a path and a message, bounded, in UTF-8, and at most
//   MAX_PROBLEMS + 1 of them.
//
// Usage: php -n -d extension=target/release/libsequra_php.so \
//            fuzz/php/orders.php [SEED] [ORDERS]
// Run it on every PHP the extension supports (scripts/php-chroot.sh builds
// each one's extension): PHP 8.1 lays arrays out in its own way, and a crash
// there was found by such a run. Exits 1 on the first failures, printing
// each with the order that made it.

require __DIR__ . '/places.inc';

$seed = (int) ($argv[1] ?? 1);
$orders = (int) ($argv[2] ?? 2000);
mt_srand($seed);

const MAX_PROBLEMS = 100;
const MAX_TEXT = 1000;

$base = require __DIR__ . '/../../tests/php/seed_order_mended.inc';
$contract = ['services', 'garage', 'instore'];
$optionSets = [
    ['contract' => $contract],
    null,
    ['contract' => $contract, 'allow_unknown_keys' => true],
    ['contract' => [...$contract, 'multistore', 'shipment_ref'], 'flow' => 'pos_legacy'],
];
if (Sequra\Order::validate($base, $optionSets[0]) !== []) {
    fwrite(STDERR, "the mended example order is not valid\n");
    exit(2);
}

enum Suit { case Hearts; }
enum Colour: string { case Red = 'red'; }

function some_text(): string
{
    static $texts = [
        '', ' ', 'x', "\xFF", "Jos\xE9", "a\x00b", "tab\there", "line\nbreak", "\u{2028}", 'é', '日本',
        '2024-02-30', '2024-01-01T10:00:00Z', '2024-01-01T10:00:00+25:00', '0000-00-00',
        'https://example.com', 'http://x', 'javascript:alert(1)', 'https://exa mple.com',
        'ES', 'EUR', 'es', 'XX', '123', '-1', '1e3', 'null', '"quoted"', '\\', '</script>',
        'product', 'discount', 'handling', 'invoice_fee', 'service', 'confirmed', 'amount', 'percentage',
        '192.168.1.1', '::1', '256.0.0.1', 'a@b.co', 'not-an-email',
    ];
    return match (mt_rand(0, 40)) {
        0 => random_bytes(mt_rand(1, 40)),
        1 => str_repeat('z', mt_rand(1000, 70000)),
        default => $texts[array_rand($texts)],
    };
}

function some_value(int $depth = 0): mixed
{
    $pick = mt_rand(0, 24);
    if ($depth > 3 && $pick > 14) {
        $pick = 0;
    }
    switch ($pick) {
        case 0: return mt_rand(-5, 5);
        case 1: return [PHP_INT_MAX, PHP_INT_MIN, mt_rand(0, 2000000)][mt_rand(0, 2)];
        case 2: return [1.5, 100.0, -0.0, 1e20][mt_rand(0, 3)];
        case 3: return [NAN, INF, -INF][mt_rand(0, 2)];
        case 4: return null;
        case 5: return (bool) mt_rand(0, 1);
        case 15: return [];
        case 16: return [some_value($depth + 1), some_value($depth + 1)];
        case 17: return [3 => some_value($depth + 1), 0 => some_value($depth + 1)];
        case 18: return [some_text() => some_value($depth + 1)];
        case 19: return new stdClass();
        case 20: return Colour::Red;
        case 21: return Suit::Hearts;
        case 22: return fn () => 1;
        case 23:
            $deep = 'x';
            for ($i = mt_rand(60, 140); $i > 0; $i--) {
                $deep = [$deep];
            }
            return $deep;
        default: return some_text();
    }
}

/** $order with one or two of its values changed. */
function mutate(array $order): array
{
    for ($n = mt_rand(1, 2); $n > 0; $n--) {
        $parent = &random_place($order, $last);
        $value = $parent[$last];
        switch (mt_rand(0, 9)) {
            case 0: unset($parent[$last]); break;
            case 1: $parent[some_text()] = some_value(); break;
            case 2: // the keys shuffled
                $keys = array_keys($parent);
                shuffle($keys);
                $parent = array_combine($keys, array_map(fn ($k) => $parent[$k], $keys));
                break;
            case 3: // a gap
                if (is_array($value) && array_is_list($value) && $value !== []) {
                    unset($parent[$last][0]);
                }
                break;
            case 4: // a reference
                $copy = $value;
                $parent[$last] = &$copy;
                unset($copy);
                break;
            case 5: // a list keyed by id, as a shop's loop builds it
                if (is_array($value)) {
                    $byId = [];
                    $id = mt_rand(0, 3);
                    foreach ($value as $item) {
                        $byId[$id] = $item;
                        $id += mt_rand(1, 3);
                    }
                    $parent[$last] = $byId;
                }
                break;
            case 6:
                $parent[$last] = is_int($value) ? [-1, 0, 1, PHP_INT_MAX, $value * 1000][mt_rand(0, 4)] : some_value();
                break;
            default: $parent[$last] = some_value(); break;
        }
        unset($parent);
    }
    return $order;
}

function has_float(mixed $value): bool
{
    if (is_float($value)) {
        return true;
    }
    if (is_array($value)) {
        foreach ($value as $member) {
            if (has_float($member)) {
                return true;
            }
        }
    }
    return false;
}

/** What is wrong with a list of problems, or null. */
function bad_problems(array $problems): ?string
{
    if (count($problems) > MAX_PROBLEMS + 1) {
        return count($problems) . ' problems';
    }
    foreach ($problems as $problem) {
        foreach (['path', 'message'] as $part) {
            $text = $problem[$part] ?? null;
            if (!is_string($text) || $text === '' || strlen($text) > MAX_TEXT || !preg_match('//u', $text)) {
                return "a bad $part: " . var_export($text, true);
            }
        }
    }
    return null;
}

$failures = [];
$counts = ['valid' => 0, 'invalid' => 0, 'written as json_encode writes it' => 0];
for ($i = 0; $i < $orders && count($failures) < 5; $i++) {
    $order = mutate($base);
    $options = $optionSets[array_rand($optionSets)];
    $problems = Sequra\Order::validate($order, $options);
    try {
        $json = Sequra\Order::encode($order, $options);
        $refused = null;
    } catch (Sequra\ValidationException $e) {
        $json = null;
        $refused = $e->getProblems();
    }
    $why = bad_problems($problems);
    if ($why === null && $problems === []) {
        $counts['valid']++;
        if ($json === null) {
            $why = 'valid, but encode refused it: ' . json_encode($refused, JSON_INVALID_UTF8_SUBSTITUTE);
        } elseif (!has_float($order)) {
            $php = json_encode($order, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_LINE_TERMINATORS);
            if ($php !== $json) {
                $why = "written otherwise than json_encode writes it:\n$php\n$json";
            } else {
                $counts['written as json_encode writes it']++;
            }
        }
    } elseif ($why === null) {
        $counts['invalid']++;
        if ($refused !== $problems) {
            $why = "validate and encode differ:\n" . json_encode([$problems, $refused], JSON_INVALID_UTF8_SUBSTITUTE);
        }
    }
    if ($why !== null) {
        $failures[] = "order $i of seed $seed, options " . json_encode($options) . ": $why\n" . substr(print_r($order, true), 0, 20000);
    }
}
echo "seed $seed: ", json_encode($counts), ', ', count($failures), " failures\n";
foreach ($failures as $failure) {
    echo "\n$failure\n";
}
exit($failures === [] ? 0 : 1);
