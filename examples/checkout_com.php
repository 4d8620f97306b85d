<?php
// seQura through checkout.com from PHP, against the bundled sandbox, one line
// a step: create a payment setup, confirm it with seQura, send the customer
// to the redirect URL, let them approve, receive and verify the webhook.
//
//   cargo build -p sequra-php -p sequra-sandbox
//   target/debug/sequra-sandbox --port 0 --tls  # prints its URL, then its CA's file
//   php -d extension=target/debug/libsequra_php.so examples/checkout_com.php <sandbox-url> <ca-file>
//
// The CA file defaults to $SEQURA_CA_FILE; a sandbox started without --tls
// speaks plain HTTP and needs none.
//
// Against checkout.com itself, give the client your secret_key and prefix
// instead of the sandbox's key, endpoint and CA file. Exits non-zero on any failure.

declare(strict_types=1);

// The bundled sandbox's account (tests/sandbox/src/checkout_com/mod.rs).
const SECRET_KEY = 'sk_sbox_sequrasandboxsecretkeyaaaaq';
const PROCESSING_CHANNEL = 'pc_sequrasandboxchannelaaaaaa';
const WEBHOOK_SECRET = 'sandbox-webhook-secret';
const WEBHOOK_TIMEOUT = 10; // seconds to wait for checkout.com's webhook

require __DIR__ . '/demo.inc';

[$endpoint, $caFile] = sandbox_args(array_slice($argv, 1));

// The shop's webhook endpoint: a loopback listener checkout.com POSTs to,
// registered as one would in checkout.com's Dashboard.
$webhookServer = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr)
    or fail("cannot listen for webhooks: $errstr");
$webhookUrl = 'http://' . stream_socket_get_name($webhookServer, false) . '/checkout-com/webhook';
[$status] = http('PUT', "$endpoint/sandbox/checkout_com/webhook", json_encode(['url' => $webhookUrl]), 'application/json');
$status === 200 or fail("registering the webhook answered $status");

try {
    $client = new Sequra\CheckoutComClient([
        'secret_key' => SECRET_KEY,
        'endpoint' => $endpoint,
        'ca_file' => $caFile, // the sandbox's CA; leave it out for checkout.com's own endpoints
        'processing_channel_id' => PROCESSING_CHANNEL,
        'timeout' => 10,
    ]);
    $orderRef = 'ORD-' . strtoupper(bin2hex(random_bytes(3)));
    $setup = [
        'amount' => 20000, // cents
        'currency' => 'EUR',
        'reference' => $orderRef,
        'description' => 'seQura payment',
        'billing' => ['address' => [
            'address_line1' => 'C/ Aragó 383',
            'city' => 'Barcelona',
            'state' => 'Barcelona',
            'zip' => '08013',
            'country' => 'ES',
        ]],
        'settings' => [
            'success_url' => 'https://my.shop.tld/checkout/success',
            'failure_url' => 'https://my.shop.tld/checkout/failure',
        ],
    ];

    // Store the keys with the order first: a retry after a timeout (even
    // from another request) sends the same key and creates nothing new.
    $setupKey = Sequra\CheckoutComClient::newIdempotencyKey();
    $created = $client->createSetup($setup, $setupKey);
    $id = $created['setup']['id'];
    step("created payment setup $id for $orderRef; seQura is {$created['setup']['payment_methods']['sequra']['status']}");

    $confirmed = $client->confirmSetup($id, Sequra\CheckoutComClient::newIdempotencyKey());
    $payment = $confirmed['payment'];
    step("confirmed with seQura: payment {$payment['id']} is {$payment['status']}; send the customer to {$confirmed['redirect_url']}");

    // The customer, at seQura's page, approves.
    [$status] = http('POST', "$endpoint/sandbox/checkout_com/payments/{$payment['id']}/approve");
    $status === 200 or fail("approving at seQura answered $status");
    step('the customer approved at seQura and is sent back to the success_url');

    // checkout.com's webhook: verify the raw body against Cko-Signature.
    $connection = @stream_socket_accept($webhookServer, WEBHOOK_TIMEOUT)
        or fail('no webhook arrived within ' . WEBHOOK_TIMEOUT . " s at $webhookUrl");
    $headers = [];
    fgets($connection);
    while (($line = fgets($connection)) !== false && trim($line) !== '') {
        [$name, $value] = array_map('trim', explode(':', $line, 2)) + [1 => ''];
        $headers[strtolower($name)] = $value;
    }
    $body = '';
    while (strlen($body) < (int) ($headers['content-length'] ?? 0) && !feof($connection)) {
        $body .= fread($connection, (int) $headers['content-length'] - strlen($body));
    }
    try {
        $event = Sequra\CheckoutComClient::verifyWebhook(WEBHOOK_SECRET, $body, $headers['cko-signature'] ?? null);
    } catch (Sequra\SignatureException $e) {
        fwrite($connection, "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        fail($e->getMessage());
    }
    fwrite($connection, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    fclose($connection);
    step("webhook verified: {$event['type']} for payment {$event['payment_id']} ({$event['reference']}, {$event['amount']} {$event['currency']})");
    if ($event['type'] !== 'payment_approved' || $event['payment_id'] !== $payment['id']) {
        fail('the webhook is not the approval of our payment');
    }
    step("order $orderRef is paid with seQura: fulfil it");
} catch (Sequra\Exception $e) {
    fail(get_class($e) . ': ' . $e->getMessage() . ($e->getRequestId() ? " (request id {$e->getRequestId()})" : ''));
} finally {
    http('DELETE', "$endpoint/sandbox/checkout_com/webhook");
}
