<?php
// What one checkout flow costs the extension: N flows (startSolicitation,
// getIdentificationForm, the shopper's approval through the sandbox's
// control endpoint, confirm) with the connection pool on, against the
// sandbox at $SEQURA_SANDBOX_URL. Run it under callgrind and read the
// instructions of the extension's methods (docs/order-speed.md):
//
//   php -n -d extension=target/release/libsequra_php.so php-ext/benches/checkout_flow.php 200

require __DIR__ . '/../../tests/php/sequra.inc';

$flows = (int) ($argv[1] ?? 200);
$client = sandbox_client(['persistent' => true]);
for ($i = 0; $i < $flows; $i++) {
    $order = small_order();
    $uri = $client->startSolicitation($order);
    $client->getIdentificationForm($uri);
    [$status] = sandbox_control('POST', '/sandbox/orders/' . order_uuid($uri) . '/approve');
    if ($status !== 200) {
        fwrite(STDERR, "the approval answered $status\n");
        exit(1);
    }
    $client->confirm($uri, $order);
}
printf("%d checkout flows\n", $flows);
