--TEST--
After the checkout: payment methods, form by SMS, hold, confirm, references, partial shipment, refund, cancelling the rest
--FILE--
<?php
require __DIR__ . '/sequra.inc';

$client = sandbox_client();
$order = small_order();
$order['delivery_address']['mobile_phone'] = '+34666555444';
$uri = $client->startSolicitation($order);

$methods = $client->getPaymentMethods($uri);
$codes = array_merge(...array_map(fn ($o) => array_column($o['methods'], 'product'), $methods['payment_options']));
check('the order is offered products as data', $codes === ['i1', 'pp3', 'sp1'], json_encode($codes));
check('with their costs in cents', is_int($methods['payment_options'][1]['methods'][0]['cost']['instalment_total']));
check('the catalogue lists every product', count($client->getMerchantPaymentMethods()['payment_options']) === 2);

$client->sendIdentificationForm($uri, 'pp3');
check('the form went by SMS', inspect($uri)['form_deliveries'] === [['channel' => 'sms', 'product_code' => 'pp3']]);

approve($uri);
$client->hold($uri, $order);
check('the approved order is on hold', inspect($uri)['state'] === 'on_hold');
$client->confirm($uri, $order);
check('then confirmed', inspect($uri)['state'] === 'confirmed');

$reference = 'T-' . bin2hex(random_bytes(4));
$client->updateReferences($uri, ['order_ref_1' => $reference, 'order_ref_2' => 'invoice-7']);
check('its references are updated', inspect($uri)['order']['merchant_reference']['order_ref_1'] === $reference);

[$product, $shipping] = $order['cart']['items'];
$cart = fn (array $items) => ['currency' => 'EUR', 'order_total_with_tax' => array_sum(array_column($items, 'total_with_tax')), 'items' => $items];
$one = ['quantity' => 1, 'total_with_tax' => $product['price_with_tax']] + $product;

$client->orderUpdate($reference, ['shipped_cart' => $cart([$one, $shipping]), 'unshipped_cart' => $cart([$one])]);
check('one unit ships, one waits', inspect($uri)['unshipped_cart']['items'][0]['quantity'] === 1);
$client->orderUpdate($reference, ['shipped_cart' => $cart([$shipping]), 'unshipped_cart' => $cart([$one])]);
check('the shipped unit is refunded', count(inspect($uri)['shipped_cart']['items']) === 1);
try {
    $client->orderUpdate($reference, ['shipped_cart' => $cart([$one, $one, $shipping]), 'unshipped_cart' => $cart([])]);
    check('adding a unit is refused', false);
} catch (Sequra\ConflictException $e) {
    check('adding a unit is refused with the server reasons', str_contains($e->getErrors()[0], 'cannot go back')
        || str_contains($e->getErrors()[0], 'cannot be added'), $e->getErrors()[0]);
}
$client->orderUpdate($reference, ['shipped_cart' => $cart([$shipping]), 'unshipped_cart' => $cart([])]);
check('the waiting unit is cancelled', inspect($uri)['unshipped_cart']['items'] === []);

try {
    $client->orderUpdate($reference, ['shipped_cart' => ['currency' => 'EUR', 'order_total_with_tax' => 1, 'items' => []]]);
} catch (Sequra\ValidationException $e) {
    check('carts that do not add up are refused before sending',
          array_column($e->getProblems(), 'path') === ['shipped_cart.order_total_with_tax', 'unshipped_cart']);
}

$client->checkCredentials();
check('the credentials work', true);
try {
    sandbox_client(['password' => 'wrong'])->checkCredentials();
} catch (Sequra\AuthenticationException $e) {
    check('a wrong password is an AuthenticationException', $e->getHttpStatus() === 401);
}
?>
--EXPECT--
the order is offered products as data: ok
with their costs in cents: ok
the catalogue lists every product: ok
the form went by SMS: ok
the approved order is on hold: ok
then confirmed: ok
its references are updated: ok
one unit ships, one waits: ok
the shipped unit is refunded: ok
adding a unit is refused with the server reasons: ok
the waiting unit is cancelled: ok
carts that do not add up are refused before sending: ok
the credentials work: ok
a wrong password is an AuthenticationException: ok
