<?php
// A shop's counter terminal selling with seQura part payment (in store),
// against the bundled sandbox, one line a step: create the order, text the
// customer the link, wait while they sign on their phone, and hand over the
// goods; or, when they do not sign in time, cancel the order.
//
//   cargo build -p sequra-php -p sequra-sandbox
//   target/debug/sequra-sandbox --port 0 --tls  # prints its URL, then its CA's file
//   php -d extension=target/debug/libsequra_php.so examples/pos_counter.php <sandbox-url> <ca-file> \
//       [--customer=signs|walks-away] [--wait=SECONDS]
//
// The CA file defaults to $SEQURA_CA_FILE; a sandbox started without --tls
// speaks plain HTTP and needs none.
//
// In the sandbox nobody holds the phone: its control endpoint
// (/sandbox/pos/orders/{id}/sign) plays the customer. Exits non-zero with a
// message on any failure.

declare(strict_types=1);

const MERCHANT = 'demo';
const STORE = 'store_1';
const USERNAME = 'demo';
const PASSWORD = 'demo-password';
const POLL_EVERY = 0.2;     // seconds between two looks at the order
const SIGNS_AFTER_MS = 500; // how long the sandbox's customer takes to sign

require __DIR__ . '/demo.inc';

/** The sandbox's customer opens the SMS link and signs, after a while. */
function customer_signs_later(string $endpoint, int $id): void
{
    [$status, $answer] = http('POST', "$endpoint/sandbox/pos/orders/$id/sign?after_ms=" . SIGNS_AFTER_MS);
    if ($status !== 202) {
        fail("the sandbox did not take the customer's signature: $status $answer");
    }
}

$positional = [];
$customer = 'signs';
$wait = 5.0;
$usage = false;
foreach (array_slice($argv, 1) as $arg) {
    if (preg_match('{^--customer=(.*)$}', $arg, $m)) {
        $customer = $m[1];
    } elseif (preg_match('{^--wait=(.*)$}', $arg, $m)) {
        $wait = is_numeric($m[1]) ? (float) $m[1] : 0.0;
    } elseif (!str_starts_with($arg, '--')) {
        $positional[] = $arg;
    } else {
        $usage = true;
    }
}
$options = '[--customer=signs|walks-away] [--wait=SECONDS]';
if ($usage || !in_array($customer, ['signs', 'walks-away'], true) || $wait <= 0) {
    fail(usage($options));
}
[$endpoint, $caFile] = sandbox_args($positional, $options);

$client = new Sequra\PosClient([
    'endpoint' => $endpoint,
    'ca_file' => $caFile, // the sandbox's CA; leave it out for seQura's own endpoints
    'merchant' => MERCHANT,
    'username' => USERNAME,
    'password' => PASSWORD,
    'user_agent' => 'pos-counter/1.0',
    'timeout' => 10,
]);

// The sale, as the operator keys it in: the customer's identity and phone,
// and the items at their prices in cents.
$order = [
    'merchant' => ['id' => MERCHANT, 'store_ref' => STORE],
    'operator_ref' => 'operator@shop.example',
    'reference' => 'POS-' . strtoupper(bin2hex(random_bytes(4))),
    'mobile_phone' => '+34666123456',
    'given_names' => 'María',
    'surnames' => 'García López',
    'date_of_birth' => '1990-01-01',
    'nin' => '12345678Z',
    'address' => 'Calle Mayor 1',
    'postal_code' => '08001',
    'city' => 'Barcelona',
    'cart_items' => [
        ['reference' => 'FRAME-001', 'name' => 'Designer Frame', 'price_with_tax' => 19000, 'quantity' => 1],
        ['reference' => 'LENS-AR', 'name' => 'Anti-glare Lenses', 'price_with_tax' => 3000, 'quantity' => 2],
    ],
];

try {
    $cart = $client->createOrder($order);
    $id = $cart['id'];
    step("order $id created for {$order['reference']}: {$cart['total_with_tax']} {$cart['currency']}, {$cart['status']}");

    $said = $client->sendSms($id);
    step("SMS to {$cart['sms_mobile_phone']}: $said");

    if ($customer === 'signs') {
        customer_signs_later($endpoint, $id);
    }
    step(sprintf('waiting up to %.1f s for the customer to sign on their phone', $wait));
    $deadline = microtime(true) + $wait;
    do {
        usleep((int) (POLL_EVERY * 1e6));
        $cart = $client->getOrder($id);
    } while ($cart['status'] === 'pending' && microtime(true) < $deadline);

    if ($cart['status'] === 'confirmed') {
        step("signed: order $id is confirmed (seQura order {$cart['order_uuid']}); hand over the goods");
    } else {
        step("not signed in time (status {$cart['status']}): cancelling");
        $result = $client->cancelOrder($id);
        step("order $id: {$result['outcome']} ({$result['message']})");
    }
} catch (Sequra\ValidationException $e) {
    $problems = array_map(fn ($p) => "{$p['path']}: {$p['message']}", $e->getProblems());
    fail("the order was not sent:\n  " . implode("\n  ", $problems));
} catch (Sequra\Exception $e) {
    fail($e->getMessage() . ($e->mayHaveActed() ? ' (seQura may have acted: check the order before retrying)' : ''));
}
