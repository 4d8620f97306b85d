--TEST--
orderUpdate checks the update's trackings and keys as an order's before sending: a misspelled `trackings`, or a misspelled key of `merchant_reference` or `merchant`, is refused, not dropped
--FILE--
<?php
require __DIR__ . '/sequra.inc';

// Nothing listens: a request that went out would be a TransportException.
$options = ['endpoint' => 'http://127.0.0.1:' . closed_port(), 'merchant' => 'demo',
            'username' => 'demo', 'password' => 'x', 'timeout' => 2];
$empty = ['currency' => 'EUR', 'order_total_with_tax' => 0, 'items' => []];
$update = ['shipped_cart' => $empty + ['colour' => 'red'], 'unshipped_cart' => $empty,
           'trakings' => [['type' => 'postal', 'reference' => 'p1', 'carrier' => 'SEUR']],
           'trackings' => [['type' => 5, 'reference' => [], 'delivered_at' => 'yesterday']],
           'merchant_reference' => ['order_ref_1' => 'ref-1', 'order_ref2' => 'r2'],
           'merchant' => ['idd' => 'demo']];
try {
    (new Sequra\Client($options))->orderUpdate('ref-1', $update);
    echo "sent\n";
} catch (Sequra\ValidationException $e) {
    foreach ($e->getProblems() as $problem) {
        echo $problem['path'], ': ', $problem['message'], "\n";
    }
}
// With unknown keys allowed, only the tracking's type remains.
try {
    (new Sequra\Client($options + ['allow_unknown_keys' => true]))->orderUpdate('ref-1', $update);
    echo "sent\n";
} catch (Sequra\ValidationException $e) {
    echo count($e->getProblems()), " problems\n";
}
?>
--EXPECT--
trackings[0].type: must be one of "pickup_store", "pickup_point", "postal", not an integer (5)
trakings: is not a field of this object (did you mean trackings?); remove it, or allow unknown keys
shipped_cart.colour: is not a field of this object; remove it, or allow unknown keys
merchant.idd: is not a field of this object (did you mean id?); remove it, or allow unknown keys
merchant_reference.order_ref2: is not a field of this object (did you mean order_ref_2?); remove it, or allow unknown keys
1 problems
