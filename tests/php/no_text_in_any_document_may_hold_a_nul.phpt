--TEST--
No text of any document may hold a NUL, named by its path, through validate and encode alike; an order's empty free text is taken
--FILE--
<?php
require __DIR__ . '/sequra.inc';
require __DIR__ . '/pos.inc';
require __DIR__ . '/checkout_com.inc';
require __DIR__ . '/paysera_sandbox.inc';

function paths(array $problems): string
{
    $nul = array_filter($problems, fn ($p) => str_starts_with($p['message'], 'holds a NUL character (U+0000)'));
    return count($nul) === count($problems)
        ? implode(', ', array_column($problems, 'path'))
        : 'other problems: ' . json_encode($problems);
}

$order = small_order();
$order['cart']['items'][0]['name'] = "Leather\0Case";
$order['customer']['given_names'] = "\0";
$order['delivery_address']['city'] = "Barcelona \"BCN\" \0"; // escaped and not plain
echo 'Order::validate: ', paths(Sequra\Order::validate($order)), "\n";
try {
    Sequra\Order::encode($order);
    echo "Order::encode: encoded\n";
} catch (Sequra\ValidationException $e) {
    echo 'Order::encode: ', paths($e->getProblems()), "\n";
}

$empty = small_order();
$empty['cart']['items'][0]['name'] = '';
$empty['delivery_address']['city'] = '';
echo 'empty free text: ', json_encode(Sequra\Order::validate($empty)), "\n";

$pos = new Sequra\PosClient(['endpoint' => 'sandbox', 'merchant' => DEMO_MERCHANT, 'username' => 'u', 'password' => 'p']);
$posOrder = pos_order();
$posOrder['cart_items'][0]['name'] = "Frame\0";
echo 'POS: ', paths($pos->validateOrder($posOrder)), "\n";

$cko = new Sequra\CheckoutComClient(['endpoint' => 'https://api.sandbox.checkout.com',
    'secret_key' => 'sk_sbox_sequrasandboxsecretkeyaaaaq', 'processing_channel_id' => 'pc_sequrasandboxchannelaaaaaa']);
$setup = payment_setup();
$setup['billing']['address']['city'] = "Barcelona\0";
echo 'checkout.com: ', paths($cko->validateSetup($setup)), "\n";

$request = payment_request();
$request['description'] = "First\0payment";
echo 'Paysera: ', paths(Sequra\PayseraClient::validatePaymentRequest($request)), "\n";
?>
--EXPECT--
Order::validate: cart.items[0].name, delivery_address.city, customer.given_names
Order::encode: cart.items[0].name, delivery_address.city, customer.given_names
empty free text: []
POS: cart_items[0].name
checkout.com: billing.address.city
Paysera: description
