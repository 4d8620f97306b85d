--TEST--
A case of a backed enum is its value wherever an array is taken (an order's item type, a quantity, the gui layout, another API's document), as json_encode writes it; a case of an enum without values is refused with its path and what to do
--FILE--
<?php
require __DIR__ . '/sequra.inc';
require __DIR__ . '/pos.inc';

enum ItemType: string { case Handling = 'handling'; }
enum Layout: string { case Desktop = 'desktop'; case Phone = 'tablet'; }
enum Quantity: int { case Two = 2; }
enum Plain { case Desktop; }

const AS_IS = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_LINE_TERMINATORS;

$order = small_order();
$order['cart']['items'][0]['quantity'] = Quantity::Two;
$order['cart']['items'][1]['type'] = ItemType::Handling;
$order['gui']['layout'] = Layout::Desktop;
check('the order with enum cases is valid', Sequra\Order::validate($order) === [], json_encode(Sequra\Order::validate($order)));
check('and is written as json_encode writes it', Sequra\Order::encode($order) === json_encode($order, AS_IS));
$written = json_decode(Sequra\Order::encode($order), true);
check('each case as its value', [$written['cart']['items'][0]['quantity'], $written['cart']['items'][1]['type'], $written['gui']['layout']] === [2, 'handling', 'desktop']);

// A value the field does not take is refused as that value.
$order['gui']['layout'] = Layout::Phone;
foreach (Sequra\Order::validate($order) as $problem) {
    echo "{$problem['path']}: {$problem['message']}\n";
}
$order['gui']['layout'] = Plain::Desktop;
foreach (Sequra\Order::validate($order) as $problem) {
    echo "{$problem['path']}: {$problem['message']}\n";
}

// Another API's document, converted rather than walked.
$pos = pos_order();
$pos['cart_items'][0]['quantity'] = Quantity::Two;
check('a POS order with an enum case is valid', pos_client()->validateOrder($pos) === [], json_encode(pos_client()->validateOrder($pos)));
?>
--EXPECT--
the order with enum cases is valid: ok
and is written as json_encode writes it: ok
each case as its value: ok
gui.layout: must be one of "desktop", "smartphone", not a string ("tablet")
gui.layout: is a case of the enum Plain, which has no value to send (json_encode refuses it too); pass a string, or give the enum values (enum Plain: string)
a POS order with an enum case is valid: ok
