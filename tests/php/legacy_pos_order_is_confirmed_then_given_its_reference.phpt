--TEST--
Legacy POS confirm: an in-store order without URLs is confirmed by the counter, then given its reference; a taken reference is a ConflictException
--FILE--
<?php
require __DIR__ . '/sequra.inc';

$client = sandbox_client(['flow' => 'pos_legacy']);
$order = small_order();
unset($order['merchant']['notify_url'], $order['merchant']['return_url'],
      $order['merchant']['notification_parameters']);

try {
    $client->startSolicitation(small_order());
} catch (Sequra\ValidationException $e) {
    check('an order with URLs is refused in this flow', in_array('merchant.notify_url', array_column($e->getProblems(), 'path'), true));
}

$uri = $client->startSolicitation($order);
approve($uri);
check('no IPN is sent for an order without notify_url', inspect($uri)['notifications'] === []);
$client->confirm($uri, $order);
$ticket = 'TICKET-' . bin2hex(random_bytes(4));
$client->updateReferences($uri, ['order_ref_1' => $ticket]);
check('confirmed, with the ticket as order_ref_1', inspect($uri)['state'] === 'confirmed'
    && inspect($uri)['order']['merchant_reference']['order_ref_1'] === $ticket);

$second = small_order();
unset($second['merchant']['notify_url'], $second['merchant']['return_url'],
      $second['merchant']['notification_parameters']);
$uri2 = $client->startSolicitation($second);
approve($uri2);
$client->confirm($uri2, $second);
try {
    $client->updateReferences($uri2, ['order_ref_1' => $ticket]);
    check('a taken reference is refused', false);
} catch (Sequra\ConflictException $e) {
    check('a taken reference is a ConflictException that says so', str_contains($e->getErrors()[0], 'already used'));
}
?>
--EXPECT--
an order with URLs is refused in this flow: ok
no IPN is sent for an order without notify_url: ok
confirmed, with the ticket as order_ref_1: ok
a taken reference is a ConflictException that says so: ok
