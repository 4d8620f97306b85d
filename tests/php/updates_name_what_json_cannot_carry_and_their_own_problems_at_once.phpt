--TEST--
An order's post-sale update and a checkout.com setup's changes are refused with every problem at once: the values JSON cannot carry (a NAN, a resource, a list with a gap) first, then the update's own (a cart missing, a total that is not cents, an order_ref_1 of another order), so that a NAN does not hide what else needs fixing; nothing is sent
--FILE--
<?php
require __DIR__ . '/array_methods.inc';

['client' => $client, 'cko' => $cko] = closed_clients();

$item = ['reference' => 'A-1', 'quantity' => 1, 'total_with_tax' => 1000];
$update = [
    'shipped_cart' => [
        'currency' => 'EUR',
        'order_total_with_tax' => NAN,                       // no JSON for it
        'items' => [1 => $item],                             // a gap
    ],
    // unshipped_cart left out: required
    'merchant_reference' => ['order_ref_1' => 'R-2'],        // another order
    'merchant' => ['id' => 'demo'],                          // the client's: fine
];

$changes = [
    'billing' => ['address' => ['city' => fopen('php://memory', 'r')]], // no JSON for it
    'amount' => '200.00',                                    // not cents
    'currency' => 'EURO',
];

foreach ([
    'Client::orderUpdate' => fn () => $client->orderUpdate('R-1', $update),
    'CheckoutComClient::updateSetup' => fn () => $cko->updateSetup('sid_1', $changes),
] as $name => $call) {
    echo "$name:\n  ", implode("\n  ", outcome(fn ($_) => $call(), [])), "\n";
}
?>
--EXPECT--
Client::orderUpdate:
  shipped_cart.order_total_with_tax: is NaN, which JSON cannot carry; send a finite number
  shipped_cart.items: is not a list: its keys (1) are not 0 in order, so json_encode would make it an object; pass array_values() of it for a list, or (object) of it for a mapping
  unshipped_cart: is required: send both carts, an empty one as {"currency": "EUR", "order_total_with_tax": 0, "items": []}
  merchant_reference.order_ref_1: is a string ("R-2") but the call is for "R-1"; leave it out or make them equal
CheckoutComClient::updateSetup:
  billing.address.city: is a resource; pass arrays, strings, numbers, booleans or null
  amount: must be a number: the amount in minor units (cents), e.g. 20000, not a string ("200.00")
  currency: "EURO" is not an ISO 4217 currency code; seQura takes "EUR"
