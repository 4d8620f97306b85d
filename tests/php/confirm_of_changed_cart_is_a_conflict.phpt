--TEST--
Confirming with a changed cart, or before approval, is a Sequra\ConflictException with seQura's reasons
--FILE--
<?php
require __DIR__ . '/sequra.inc';

$client = sandbox_client();
$order = small_order();
$uri = $client->startSolicitation($order);

try {
    $client->confirm($uri, $order);
    echo "confirmed before approval\n";
} catch (Sequra\ConflictException $e) {
    echo 'before approval: ', $e->getKind(), ' ', $e->getHttpStatus(), "\n";
    check('seQura says why', count($e->getErrors()) > 0);
}

approve($uri);
$changed = $order;
$changed['cart']['items'][0]['quantity'] = 3;
$changed['cart']['items'][0]['total_with_tax'] = 9090;
$changed['cart']['order_total_with_tax'] = 9332;
try {
    $client->confirm($uri, $changed);
    echo "confirmed a changed cart\n";
} catch (Sequra\ConflictException $e) {
    echo 'changed cart: ', $e->getKind(), ' ', $e->getHttpStatus(), ' ', $e->getCode(), "\n";
    $errors = $e->getErrors();
    check('the errors are strings', $errors === array_filter($errors, 'is_string'));
    check('an error names the path', (bool) preg_grep('/cart\.items\[0\]\.quantity/', $errors), json_encode($errors));
    check('the message quotes them', str_contains($e->getMessage(), $errors[0] ?? '-'));
    check('seQura did not act', !$e->mayHaveActed());
}
check('the order stays approved', inspect($uri)['state'] === 'approved');
?>
--EXPECT--
before approval: conflict 409
seQura says why: ok
changed cart: conflict 409 409
the errors are strings: ok
an error names the path: ok
the message quotes them: ok
seQura did not act: ok
the order stays approved: ok
