--TEST--
Sequra\PosClient: every documented refusal (401, 404, 422 not cancellable, 422 subscription) is its typed exception with the server's message; bad input (an order of another merchant too) is refused before sending
--FILE--
<?php
require __DIR__ . '/pos.inc';

function show(string $what, callable $call): void
{
    try {
        $call();
        echo "$what: no exception\n";
    } catch (Sequra\Exception $e) {
        echo "$what: ", get_class($e), ' ', $e->getKind(), ' ', var_export($e->getHttpStatus(), true), ' ',
            json_encode($e->getErrors()), ' ', var_export($e->mayHaveActed(), true), "\n";
    }
}

$client = pos_client();
$wrong = pos_client(['password' => 'not-' . DEMO_PASSWORD]);
show('wrong password', fn () => $wrong->createOrder(pos_order()));
try {
    $wrong->getOrder(1);
} catch (Sequra\AuthenticationException $e) {
    check('the server text is quoted', str_contains($e->getMessage(), 'HTTP Basic: Access denied') && !str_contains($e->getMessage(), 'denied.'));
    check('the password is not', !str_contains($e->getMessage(), DEMO_PASSWORD));
}

$theirs = pos_seed_order(['api_account' => 'another-store']);
show('another account\'s order', fn () => $client->sendSms($theirs));
show('unknown order', fn () => $client->getOrder(99999999));
show('unknown order cancel', fn () => $client->cancelOrder(99999999));

$id = $client->createOrder(pos_order())['id'];
$client->cancelOrder($id);
show('cancelled again', fn () => $client->cancelOrder($id));
show('completed', fn () => $client->cancelOrder(pos_seed_order(['status' => 'completed'])));
show('subscription', fn () => $client->cancelOrder(pos_seed_order(['status' => 'confirmed', 'subscription_id' => 77])));
show('sms after cancel', fn () => $client->sendSms($id));

try {
    $client->getOrder(123);
} catch (Sequra\NotFoundException $e) {
    check('a request id for support', is_string($e->getRequestId()) && strlen($e->getRequestId()) === 36);
}

$order = pos_order();
$order['nin'] = '12 345 678 Z';
$order['mobile_phone'] = '+34 666 123 456';
unset($order['surnames']);
$order['cart_items'][] = ['reference' => 'LENS', 'name' => 'Lens', 'price_with_tax' => '30.00', 'quantity' => 0];
$order['cart_items'][] = ['reference' => 'PLAN', 'name' => 'Plan', 'type' => 'material_subscription',
                          'price_with_tax' => 35000, 'quantity' => 1, 'subscription_vat_rate' => 2100];
try {
    $client->createOrder($order);
} catch (Sequra\ValidationException $e) {
    echo 'invalid order: ', $e->getKind(), ' ', var_export($e->mayHaveActed(), true), "\n";
    foreach ($e->getProblems() as $problem) {
        echo '  ', $problem['path'], "\n";
    }
    check('the national id is named', str_contains($e->getMessage(), 'is not an identity document number'));
    check('cents are suggested, not converted', str_contains($e->getMessage(), 'send 3000'));
}
check('validateOrder lists the same problems', count($client->validateOrder($order)) === 6);
$theirs = pos_order();
$theirs['merchant']['id'] = 'another_merchant';
show('another merchant\'s order', fn () => $client->createOrder($theirs));
check('it names both merchants', $client->validateOrder($theirs) === [['path' => 'merchant.id',
    'message' => 'is a string ("another_merchant") but the client is for merchant "demo", which the request names; make them equal']]);
show('a bad override number', fn () => $client->sendSms($id, '699-000-111'));
show('a negative id', fn () => $client->getOrder(-4));
?>
--EXPECT--
wrong password: Sequra\AuthenticationException authentication 401 [] false
the server text is quoted: ok
the password is not: ok
another account's order: Sequra\AuthenticationException authentication 401 ["API account not authorised for this order"] false
unknown order: Sequra\NotFoundException not_found 404 ["Order not found"] false
unknown order cancel: Sequra\NotFoundException not_found 404 ["Order not found"] false
cancelled again: Sequra\UnprocessableException unprocessable 422 ["Order is not in a cancellable status (cancelled)"] false
completed: Sequra\UnprocessableException unprocessable 422 ["Order is not in a cancellable status (completed)"] false
subscription: Sequra\UnprocessableException unprocessable 422 ["Order belongs to a subscription; use the subscriptions cancel endpoint instead"] false
sms after cancel: Sequra\UnprocessableException unprocessable 422 ["SMS can't be sent for this order: the order is cancelled"] false
a request id for support: ok
invalid order: invalid_input false
  surnames
  mobile_phone
  nin
  cart_items[1].price_with_tax
  cart_items[1].quantity
  cart_items[2].type
the national id is named: ok
cents are suggested, not converted: ok
validateOrder lists the same problems: ok
another merchant's order: Sequra\ValidationException invalid_input NULL [] false
it names both merchants: ok
a bad override number: Sequra\ValidationException invalid_input NULL [] false
a negative id: Sequra\ValidationException invalid_input NULL [] false
