--TEST--
Sequra\Order::validate names every problem of an order by path, and encode refuses what validate finds
--FILE--
<?php
require __DIR__ . '/sequra.inc';

$order = small_order();
var_dump(Sequra\Order::validate($order));

$order['cart']['items'][0]['quantity'] = 0;
$order['customer']['emial'] = 'typo@example.com';
unset($order['gui']);
foreach (Sequra\Order::validate($order) as $problem) {
    echo $problem['path'], ': ', $problem['message'], "\n";
}

// Contract options change what an order must have.
$store = small_order();
echo count(Sequra\Order::validate($store, ['contract' => ['multistore']])), " problems for a multistore merchant\n";

try {
    Sequra\Order::encode($order);
} catch (Sequra\ValidationException $e) {
    echo get_class($e), ' with ', count($e->getProblems()), " problems\n";
}
$valid = small_order();
echo json_decode(Sequra\Order::encode($valid), true) == json_decode(json_encode($valid), true) ? "encode sends the order as json_encode would\n" : "encode changed the order\n";

try {
    Sequra\Order::validate($order, ['contract' => ['gold']]);
} catch (Sequra\ValidationException $e) {
    echo $e->getProblems()[0]['path'], "\n";
}
?>
--EXPECT--
array(0) {
}
cart.items[0].quantity: must be an integer greater than 0, not 0
customer.emial: is not a field of this object (did you mean email?); remove it, or allow unknown keys
gui: is required
3 problems for a multistore merchant
Sequra\ValidationException with 3 problems
encode sends the order as json_encode would
options.contract
