--TEST--
Order::validate, Order::encode and the calls that send an order find the same problems of an order at once: the values JSON cannot carry (a NAN, text that is not UTF-8) and the order's own (a list with a gap, a field missing), so that a shop that checked an order with validate() is not refused for something else when it sends it
--FILE--
<?php
require __DIR__ . '/array_methods.inc';

['client' => $client, 'order_uri' => $uri] = closed_clients();

$order = small_order();
unset($order['cart']['items'][0]);                        // a gap
$order['cart']['items'][1]['price_with_tax'] = NAN;        // no JSON for it
$order['customer']['given_names'] = "Jos\xE9";             // not UTF-8
unset($order['delivery_address']['city']);                // required

$calls = [
    'Order::validate' => fn ($o) => Sequra\Order::validate($o),
    'Order::encode' => fn ($o) => Sequra\Order::encode($o),
    'Client::startSolicitation' => fn ($o) => $client->startSolicitation($o),
    'Client::confirm' => fn ($o) => $client->confirm($uri, $o),
    'Client::hold' => fn ($o) => $client->hold($uri, $o),
    'Client::cancel' => fn ($o) => $client->cancel($uri, $o),
];
$seen = [];
foreach ($calls as $name => $call) {
    $seen[implode("\n", outcome($call, $order))][] = $name;
}
foreach ($seen as $problems => $names) {
    echo implode(', ', $names), ":\n  ", str_replace("\n", "\n  ", $problems), "\n";
}
?>
--EXPECT--
Order::validate, Order::encode, Client::startSolicitation, Client::confirm, Client::hold, Client::cancel:
  cart.items[1].price_with_tax: is NaN, which JSON cannot carry; send a finite number
  customer.given_names: is not valid UTF-8; convert the text to UTF-8 (e.g. with mb_convert_encoding)
  cart.items: must be a list, but its keys (1) are not 0 in order; in PHP, pass it through array_values()
  delivery_address.city: is required
  cart.order_total_with_tax: is 6302 but cart.items[].total_with_tax add up to 242: make the items add up to what the shopper pays (a rounding difference may go on an item's total_with_tax, which may differ from quantity × price_with_tax by a cent a unit)
