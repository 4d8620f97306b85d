<?php
// Paysera Checkout from PHP, against the bundled sandbox, one line a step:
// create a payment request, let the shopper pay on its page, take Paysera's
// callback (fetching the notification it names, never trusting its body),
// capture, and charge the stored token again for the next month.
//
//   cargo build -p sequra-php -p sequra-sandbox
//   target/debug/sequra-sandbox --port 0 --tls  # prints its URL, then its CA's file
//   php -d extension=target/debug/libsequra_php.so examples/paysera.php <sandbox-url> <ca-file>
//
// The CA file defaults to $SEQURA_CA_FILE; a sandbox started without --tls
// speaks plain HTTP and needs none.
//
// Exits non-zero with a message on any failure.

declare(strict_types=1);

// The sandbox's Paysera credentials (sequra_sandbox::PAYSERA_*).
const MAC_ID = 'sandbox-mac-id';
const MAC_SECRET = 'sandbox-mac-secret-4f7d2c9a1b';
const BUSINESS_ID = 'sandbox-business';

require __DIR__ . '/demo.inc';

[$endpoint, $caFile] = sandbox_args(array_slice($argv, 1));

// The shop's callback endpoint: a loopback listener Paysera will POST to.
$shop = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr) or fail("cannot listen: $errstr");
$callbackUrl = 'http://' . stream_socket_get_name($shop, false) . '/paysera-callback';

try {
    $paysera = new Sequra\PayseraClient([
        'endpoint' => $endpoint,
        'ca_file' => $caFile, // the sandbox's CA; leave it out for Paysera's own endpoints
        'mac_id' => MAC_ID,
        'mac_secret' => MAC_SECRET,
        'timeout' => 10,
    ]);

    $request = [
        'business_id' => BUSINESS_ID,
        'order_id' => 'SUB-' . bin2hex(random_bytes(4)),
        'price' => ['amount' => '999', 'currency' => 'EUR'], // 9.99 EUR in cents: a string of digits or an int (999)
        'description' => 'Monthly subscription - First payment',
        'method_key' => 'card',
        'payer' => ['email' => 'customer@example.com'],
        'locale' => 'en',
        'accept_url' => 'https://shop.example/payment/success',
        'cancel_url' => 'https://shop.example/payment/cancel',
        'callback_url' => $callbackUrl,
        'token_strategy' => 'required',
    ];
    $created = $paysera->createPaymentRequest($request);
    step("created payment request {$created['id']} ({$created['status']})");
    step("send the shopper to {$created['authorization_url']}");

    // The shopper pays on the payment page (the sandbox's form posts here).
    [$status] = http('POST', $created['authorization_url']);
    $status === 200 or fail("the payment page answered $status");
    step('the shopper paid');

    // Paysera's callback: only its notification_id is read.
    $connection = stream_socket_accept($shop, 10) or fail('no callback came');
    $head = '';
    while (!str_contains($head, "\r\n\r\n") && ($line = fgets($connection)) !== false) {
        $head .= $line;
    }
    $length = preg_match('{content-length:\s*(\d+)}i', $head, $m) ? (int) $m[1] : 0;
    parse_str((string) stream_get_contents($connection, $length), $post); // what $_POST holds
    $notification = $paysera->receiveCallback($post);
    // A notification marked read was handled already: a callback posted again.
    ($notification['status'] ?? '') !== 'read' or fail('the first callback came marked read');
    $paid = $notification['data']['payment_request'];
    step("callback: {$notification['event']} for {$paid['id']}");
    $token = $paid['issued_token'] ?? fail('no token was issued');
    step('stored the shopper\'s token for the next payments');
    $paysera->markNotificationRead($notification['id']);
    fwrite($connection, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK");
    fclose($connection);

    $captured = $paysera->capturePaymentRequest($created['id']);
    step("captured: {$captured['status']}, paid {$captured['price_paid']['amount']} {$captured['price_paid']['currency']} cents");

    // Next month: no shopper in sight, the token pays.
    $next = $paysera->createPaymentRequest(['order_id' => $request['order_id'] . '-2'] + $request);
    $paysera->authorizePaymentRequest($next['id'], $token);
    $next = $paysera->capturePaymentRequest($next['id']);
    step("next month's payment {$next['id']}: {$next['status']}");
} catch (Sequra\Exception $e) {
    fail(get_class($e) . ': ' . $e->getMessage());
}
