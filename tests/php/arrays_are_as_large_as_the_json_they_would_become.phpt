--TEST--
An array that holds the same array or string many times over takes little memory in PHP but is as large as the JSON it would become: every method that takes an array refuses one past the largest document's bound (an order's) with one short problem before it converts or writes any of it, however deep the shared part sits
--FILE--
<?php
require __DIR__ . '/array_methods.inc';

$methods = array_methods();

// Twenty levels of [$x, $x]: a million strings in a few kilobytes of PHP.
$doubled = 'leaf';
for ($i = 0; $i < 20; $i++) {
    $doubled = [$doubled, $doubled];
}
// 200 000 values as deep as an array may nest (the list passed is at
// depth 0, `a` at 1, the list of 200 000 at 64), fifty times over.
$chain = range(1, 200_000);
for ($i = 0; $i < 62; $i++) {
    $chain = [$chain];
}
$shared = [
    'twenty levels of [$x, $x]' => $doubled,
    'a list nested 64 deep, fifty times' => array_fill(0, 50, $chain),
    'one string of 100 kB, a thousand times' => array_fill(0, 1000, str_repeat('a', 100_000)),
    'twenty levels of stdClass objects whose two properties are one object' => (function () {
        $object = new stdClass();
        for ($i = 0; $i < 20; $i++) {
            $object = (object) ['l' => $object, 'r' => $object];
        }
        return $object;
    })(),
];

foreach ($shared as $what => $value) {
    $seen = [];
    foreach ($methods as $name => $call) {
        $problems = outcome($call, ['a' => $value]);
        // Only the size is named; the document it is measured as varies.
        $said = count($problems) === 1
            ? preg_replace('/^[a-z_]+: /', '', $problems[0])
            : count($problems) . ' problems: ' . substr(implode('; ', $problems), 0, 200);
        $seen[$said][] = $name;
    }
    echo "$what:\n";
    foreach ($seen as $said => $names) {
        echo '  ', count($names) === count($methods) ? 'every method' : implode(', ', $names), ": $said\n";
    }
}

// Forty levels of one key of 100 kB (4 MB of text, within the bound) over
// 200 NANs: every key in a path is cut to an excerpt, so that no path of
// the 200 is written at its 4 MB, and only the first 100 are listed.
$key = str_repeat('k', 100_000);
$nans = array_fill(0, 200, NAN);
for ($i = 0; $i < 40; $i++) {
    $nans = [$key => $nans];
}
$seen = [];
foreach ($methods as $name => $call) {
    $problems = outcome($call, ['a' => $nans]);
    // The path of the first: its length, as a cut one states it.
    $path = strstr($problems[0], ': is NaN', true);
    $length = preg_match('/… \((\d+) bytes\)$/', $path, $cut) ? $cut[1] : strlen($path);
    $said = count($problems) . " listed, the first at a path of $length bytes"
        . (count($problems) > 1 ? '; the last: ' . preg_replace('/^\w+: /', '', end($problems)) : '');
    $seen[$said][] = $name;
}
echo "forty keys of 100 kB over 200 NANs:\n";
foreach ($seen as $said => $names) {
    echo '  ', count($names) === count($methods) ? 'every method' : implode(', ', $names), ": $said\n";
}
?>
--EXPECT--
twenty levels of [$x, $x]:
  every method: is larger than this library takes: it has more than 100000 values (objects, lists and scalars); nothing of it was checked (a bound against runaway input)
a list nested 64 deep, fifty times:
  every method: is larger than this library takes: it has more than 100000 values (objects, lists and scalars); nothing of it was checked (a bound against runaway input)
one string of 100 kB, a thousand times:
  every method: is larger than this library takes: it has more than 4194304 bytes of text in its strings and keys; nothing of it was checked (a bound against runaway input)
twenty levels of stdClass objects whose two properties are one object:
  every method: is larger than this library takes: it has more than 100000 values (objects, lists and scalars); nothing of it was checked (a bound against runaway input)
forty keys of 100 kB over 200 NANs:
  new Client, new PosClient, new PayseraClient, new CheckoutComClient: 1 listed, the first at a path of 2444 bytes
  Client::startSolicitation, Client::confirm, Client::hold, Client::cancel, Order::validate, Order::encode: 101 listed, the first at a path of 2444 bytes; the last: and 110 more problems not listed; fix those above and validate again
  Client::getIdentificationForm, Client::updateReferences, Order::validate options, Order::encode options: 101 listed, the first at a path of 2444 bytes; the last: and 100 more problems not listed; fix those above and validate again
  Client::orderUpdate: 101 listed, the first at a path of 2444 bytes; the last: and 103 more problems not listed; fix those above and validate again
  Order::platform: 101 listed, the first at a path of 2453 bytes; the last: and 100 more problems not listed; fix those above and validate again
  PosClient::validateOrder, PosClient::createOrder, PayseraClient::validatePaymentRequest, PayseraClient::createPaymentRequest, CheckoutComClient::validateSetup, CheckoutComClient::createSetup, CheckoutComClient::updateSetup: 101 listed, the first at a path of 2444 bytes; the last: and 101 more problems not listed; fix those above and validate again
