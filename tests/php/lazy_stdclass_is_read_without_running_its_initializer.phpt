--TEST--
PHP 8.4: a lazy stdClass in an order is read as it is (PHP initialises it as it is made), without running its initializer, which could change the order being read
--SKIPIF--
<?php if (PHP_VERSION_ID < 80400) die('skip lazy objects are PHP 8.4 and newer'); ?>
--FILE--
<?php
require __DIR__ . '/sequra.inc';

$order = small_order();
$ghost = (new ReflectionClass(stdClass::class))->newLazyGhost(function ($object) use (&$order) {
    echo "the initializer ran\n";
    unset($order['cart']);
});
$proxy = (new ReflectionClass(stdClass::class))->newLazyProxy(function ($object) use (&$order) {
    echo "the factory ran\n";
    $order = [];
    return (object) ['a' => 1];
});
$order['merchant']['options'] = $ghost;
$order['merchant']['notification_parameters'] = $proxy;
$json = Sequra\Order::encode($order);
echo json_decode($json)->merchant->options == new stdClass() ? "{}\n" : "$json\n";
echo json_decode($json)->merchant->notification_parameters == new stdClass() ? "{}\n" : "$json\n";
echo Sequra\Order::validate($order) === [] ? "valid\n" : "invalid\n";
echo json_encode($order['merchant']['options']), "\n";
?>
--EXPECT--
{}
{}
valid
{}
