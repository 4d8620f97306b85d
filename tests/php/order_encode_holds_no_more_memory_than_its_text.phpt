--TEST--
Sequra\Order::encode's string holds about its own length of memory: not the room a larger order needed before it (in this or an earlier PHP request of the process), nor the room it doubled into as it was written
--FILE--
<?php
require __DIR__ . '/sequra.inc';

$options = ['allow_unknown_keys' => true];
$order = small_order();
/** The memory a call's result holds, once the call is over. */
function held(callable $call): int
{
    $before = memory_get_usage();
    $result = $call();
    $held = memory_get_usage() - $before;
    return $held - strlen($result);
}

// Large: 3 MB of text, written into room that grew by doubling.
$large = held(fn () => Sequra\Order::encode($order + ['extra' => str_repeat('a', 3_000_000)], $options));
echo "a 3 MB order holds its length and at most 64 kB more: ", var_export($large < 65536, true), "\n";

// Small, after it: room for the small one only.
$small = held(fn () => Sequra\Order::encode($order, $options));
echo "a small order after it holds at most 64 kB more than its length: ", var_export($small < 65536, true), "\n";
?>
--EXPECT--
a 3 MB order holds its length and at most 64 kB more: true
a small order after it holds at most 64 kB more than its length: true
