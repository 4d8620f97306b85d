--TEST--
A part-payment order, a Paysera payment request and a checkout.com setup: each validate method and the call that sends the document find the same problems at once, the values JSON cannot carry (a NAN, text that is not UTF-8, a list with a gap) first and then the document's own (a field missing, a field of the wrong kind), so that a document that passed its check is not refused for something else when it is sent
--FILE--
<?php
require __DIR__ . '/array_methods.inc';
require __DIR__ . '/pos.inc';
require __DIR__ . '/paysera_sandbox.inc';
require __DIR__ . '/checkout_com.inc';

['pos' => $pos, 'paysera' => $paysera, 'cko' => $cko] = closed_clients();

$order = pos_order();
$order['cart_items'] = [1 => $order['cart_items'][0]];    // a gap
$order['city'] = NAN;                                     // no JSON for it
unset($order['surnames']);                                // required
$order['nin'] = '12 345';                                 // not a document number

$request = payment_request();
$request['description'] = "Caf\xE9";                      // not UTF-8
$request['price']['amount'] = INF;                        // no JSON for it
unset($request['order_id']);                              // required
$request['accept_url'] = 'not a url';

$setup = payment_setup();
$setup['billing']['address']['city'] = fopen('php://memory', 'r'); // no JSON for it
$setup['amount'] = '200.00';                              // not cents
$setup['currency'] = 'EURO';

$documents = [
    'a part-payment order' => [$order, [
        'PosClient::validateOrder' => fn ($o) => $pos->validateOrder($o),
        'PosClient::createOrder' => fn ($o) => $pos->createOrder($o),
    ]],
    'a payment request' => [$request, [
        'PayseraClient::validatePaymentRequest' => fn ($r) => Sequra\PayseraClient::validatePaymentRequest($r),
        'PayseraClient::createPaymentRequest' => fn ($r) => $paysera->createPaymentRequest($r),
    ]],
    'a payment setup' => [$setup, [
        'CheckoutComClient::validateSetup' => fn ($s) => $cko->validateSetup($s),
        'CheckoutComClient::createSetup' => fn ($s) => $cko->createSetup($s),
    ]],
];
foreach ($documents as $what => [$document, $calls]) {
    $seen = [];
    foreach ($calls as $name => $call) {
        $seen[implode("\n", outcome($call, $document))][] = $name;
    }
    echo "$what:\n";
    foreach ($seen as $problems => $names) {
        echo '  ', implode(', ', $names), ":\n    ", str_replace("\n", "\n    ", $problems), "\n";
    }
}
?>
--EXPECT--
a part-payment order:
  PosClient::validateOrder, PosClient::createOrder:
    city: is NaN, which JSON cannot carry; send a finite number
    cart_items: is not a list: its keys (1) are not 0 in order, so json_encode would make it an object; pass array_values() of it for a list, or (object) of it for a mapping
    surnames: is required (a string)
    nin: is not an identity document number: a DNI (8 digits and a letter, e.g. 12345678Z), an NIE (X, Y or Z, 7 digits and a letter) or a passport number, letters and digits only
a payment request:
  PayseraClient::validatePaymentRequest, PayseraClient::createPaymentRequest:
    price.amount: is inf, which JSON cannot carry; send a finite number
    description: is not valid UTF-8; convert the text to UTF-8 (e.g. with mb_convert_encoding)
    order_id: is required
    accept_url: "not a url" has a space or a control character; write the URL percent-encoded
a payment setup:
  CheckoutComClient::validateSetup, CheckoutComClient::createSetup:
    billing.address.city: is a resource; pass arrays, strings, numbers, booleans or null
    amount: must be a number: the amount in minor units (cents), e.g. 20000, not a string ("200.00")
    currency: "EURO" is not an ISO 4217 currency code; seQura takes "EUR"
    processing_channel_id: is required: give it here or as the client's processing_channel_id option