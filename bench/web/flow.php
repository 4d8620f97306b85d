<?php
// One checkout flow per PHP request, as PHP-FPM serves it behind nginx:
// startSolicitation, getIdentificationForm, the shopper's approval (the
// sandbox's control endpoint, on a keep-alive connection kept by this
// worker, the same for every client), confirm.
//
// ?client=pooled  Sequra\Client with 'persistent' => true (the per-process
//                 pool outlives the PHP request)
// ?client=fresh   Sequra\Client with 'persistent' => false (its connections close
//                 with the client, at the end of the request)
// ?client=curl    CurlPerCallClient, as the official sequra/php-client
//
// Answers the nanoseconds the three client calls took (the approval not
// counted), or 500 and why. The pool's environment (SEQURA_SANDBOX_URL,
// SEQURA_CA_FILE) says where the sandbox is.

require __DIR__ . '/../../tests/php/sequra.inc';
require __DIR__ . '/../php/curl_client.inc';
require __DIR__ . '/../php/keepalive.inc';

try {
    $caFile = getenv('SEQURA_CA_FILE') ?: null;
    $client = match ($_GET['client'] ?? '') {
        'pooled' => sandbox_client(['persistent' => true, 'ca_file' => $caFile]),
        'fresh' => sandbox_client(['persistent' => false, 'ca_file' => $caFile]),
        'curl' => new CurlPerCallClient(sandbox_url(), DEMO_MERCHANT, DEMO_USERNAME, DEMO_PASSWORD, $caFile),
        default => throw new InvalidArgumentException('?client= must be pooled, fresh or curl'),
    };
    $order = small_order();

    $start = hrtime(true);
    $uri = $client->startSolicitation($order);
    $form = $client->getIdentificationForm($uri);
    $took = hrtime(true) - $start;
    if (!str_contains($form, 'sq-identification')) {
        throw new RuntimeException('the form is not the identification form');
    }

    $sandbox = new KeepAliveSocket(sandbox_url(), $caFile, persistent: true);
    [$status, $answer] = $sandbox->exchange(
        'POST /sandbox/orders/' . order_uuid($uri) . "/approve HTTP/1.1\r\n"
        . 'Host: ' . $sandbox->authority() . "\r\nContent-Length: 0\r\n\r\n"
    );
    if ($status !== 200) {
        throw new RuntimeException("approve answered $status: " . substr($answer, 0, 200));
    }

    $start = hrtime(true);
    $client->confirm($uri, $order);
    $took += hrtime(true) - $start;
    echo $took;
} catch (Throwable $e) {
    http_response_code(500);
    echo get_class($e), ': ', str_replace("\n", ' ', substr($e->getMessage(), 0, 300));
}
