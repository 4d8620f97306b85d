--TEST--
Sequra\Order::encode of an order with one long value (a 3 MB string) needs about the memory json_encode needs: its string grows in place where it can and by what the value needs, so it fits in a memory_limit of twice its length where it once needed three and a half times
--FILE--
<?php
require __DIR__ . '/sequra.inc';

$order = small_order();
$order['customer']['user_agent'] = str_repeat('a', 3 << 20);
$expected = json_encode($order, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_LINE_TERMINATORS);
ini_set('memory_limit', (string) (memory_get_usage() + 2 * strlen($expected)));
$encoded = Sequra\Order::encode($order);
check('encoded within twice its length', $encoded === $expected);
?>
--EXPECT--
encoded within twice its length: ok
