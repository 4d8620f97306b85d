<?php
// A whole order life from PHP, against the bundled sandbox, one line a step:
// checkout, the IPN received and verified by the shop's own endpoint (PHP's
// built-in server on loopback, examples/lifecycle/shop.php) which confirms
// the order, the reference update, a partial shipment, the refund of one
// item, the cancellation of the rest, and a forged IPN refused.
//
//   cargo build -p sequra-php -p sequra-sandbox
//   target/debug/sequra-sandbox --port 0 --tls  # prints its URL, then its CA's file
//   export SEQURA_PHP_EXTENSION=$PWD/target/debug/libsequra_php.so
//   php -d extension=$SEQURA_PHP_EXTENSION examples/lifecycle.php <sandbox-url> <ca-file>
//
// (the shop endpoint runs in a PHP process of its own, which loads the
// extension from SEQURA_PHP_EXTENSION and is told the sandbox's URL and CA
// file in its environment). The CA file defaults to $SEQURA_CA_FILE; a
// sandbox started without --tls speaks plain HTTP and needs none.
//
// scripts/demo.sh runs it after the checkout demo. Exits non-zero with a
// message on any failure.

declare(strict_types=1);

require __DIR__ . '/demo.inc';

[$endpoint, $caFile] = sandbox_args(array_slice($argv, 1));

$extension = (string) getenv('SEQURA_PHP_EXTENSION');
if (!is_file($extension)) {
    fail('set SEQURA_PHP_EXTENSION to the path of the sequra extension (target/debug/libsequra_php.so)');
}

// The shop: its secret, its database directory, its notification endpoint.
$secret = bin2hex(random_bytes(16));
$shopDir = sys_get_temp_dir() . '/sequra-shop-' . bin2hex(random_bytes(4));
mkdir($shopDir);
$probe = stream_socket_server('tcp://127.0.0.1:0') or fail('no free port');
$shopAddress = stream_socket_get_name($probe, false);
fclose($probe);
$server = proc_open(
    [PHP_BINARY, '-n', '-d', "extension=$extension", '-S', $shopAddress, __DIR__ . '/lifecycle/shop.php'],
    [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', "$shopDir/server.log", 'w']],
    $pipes,
    null,
    ['SHOP_SECRET' => $secret, 'SHOP_DIR' => $shopDir, 'SEQURA_SANDBOX_URL' => $endpoint,
        'SEQURA_CA_FILE' => (string) $caFile] + getenv(),
) or fail('cannot start the shop endpoint');
register_shutdown_function(function () use ($server, $shopDir) {
    proc_terminate($server);
    proc_close($server);
    array_map('unlink', glob("$shopDir/*"));
    rmdir($shopDir);
});
for ($tries = 0; !@fsockopen('127.0.0.1', (int) explode(':', $shopAddress)[1]); $tries++) {
    $tries < 100 or fail("the shop endpoint did not start: " . @file_get_contents("$shopDir/server.log"));
    usleep(20000);
}
step("shop endpoint (PHP built-in server) at http://$shopAddress");

// The order, built like the PHP example of seQura's documentation, signed.
$cart = 'cart-' . bin2hex(random_bytes(4));
$signature = Sequra\Notifications::sign($secret, $cart);
$address = ['given_names' => 'Maria José', 'surnames' => 'Barroso Rajoy', 'company' => '',
    'address_line_1' => 'C/ Aragó 383', 'address_line_2' => '5º', 'postal_code' => '08013',
    'city' => 'Barcelona', 'country_code' => 'ES', 'mobile_phone' => '+34666555444'];
$case = ['reference' => '12-123-1234', 'name' => 'Leather Case', 'price_with_tax' => 3030,
    'quantity' => 2, 'total_with_tax' => 6060, 'downloadable' => false];
$shipping = ['type' => 'handling', 'reference' => 'seur24', 'name' => 'SEUR 24h', 'total_with_tax' => 242];
$order = [
    'state' => '',
    'merchant' => [
        'id' => 'demo',
        'notify_url' => "http://$shopAddress/ipn",
        'notification_parameters' => ['cart' => $cart, 'signature' => $signature],
        'return_url' => 'https://my.shop.tld/checkout/confirmed',
        'events_webhook' => ['url' => "http://$shopAddress/events",
            'parameters' => ['cart' => $cart, 'signature' => $signature]],
    ],
    'merchant_reference' => ['order_ref_1' => strtoupper($cart)],
    'cart' => ['currency' => 'EUR', 'gift' => false, 'order_total_with_tax' => 6302,
        'cart_ref' => $cart, 'items' => [$case, $shipping]],
    'delivery_method' => ['name' => 'SEUR24'],
    'delivery_address' => $address,
    'invoice_address' => $address,
    'customer' => ['given_names' => 'Maria José', 'surnames' => 'Barroso Rajoy',
        'email' => 'nisse@example.com', 'logged_in' => true, 'language_code' => 'es-ES',
        'ip_number' => '12.23.34.45', 'user_agent' => 'Mozilla/5.0'],
    'gui' => ['layout' => 'desktop'],
    'platform' => ['name' => 'lifecycle-demo', 'version' => '1.0', 'uname' => php_uname(),
        'db_name' => 'none', 'db_version' => '0'],
];
$shopFile = "$shopDir/$cart.json";
$shop = fn () => json_decode((string) file_get_contents($shopFile), true);

try {
    $client = new Sequra\Client(['endpoint' => $endpoint, 'ca_file' => $caFile, 'merchant' => 'demo', 'username' => 'demo',
        'password' => 'demo-password', 'timeout' => 10, 'user_agent' => 'lifecycle-demo/1.0']);
    $client->checkCredentials();
    step('credentials checked: endpoint, merchant and password work');

    $uri = $client->startSolicitation($order);
    file_put_contents($shopFile, json_encode(['uri' => $uri, 'order' => $order, 'state' => 'pending']));
    step("started cart $cart: $uri");

    $methods = $client->getPaymentMethods($uri);
    foreach ($methods['payment_options'] as $option) {
        foreach ($option['methods'] as $method) {
            step("  offered: {$method['product']} \"{$method['title']}\", instalment "
                . $method['cost']['instalment_total'] . ' cents');
        }
    }

    // The shopper completes the form; seQura POSTs the IPN to the shop's
    // endpoint, which verifies it and confirms the order before answering.
    $uuid = basename($uri);
    [$status, $body] = http('POST', "$endpoint/sandbox/orders/$uuid/approve?wait=true", 'product=pp3');
    $ipn = json_decode($body, true)['ipn'] ?? [];
    step("the shopper chose pp3 and was approved; the shop answered the IPN " . ($ipn['status'] ?? 'nothing'));
    $shop()['state'] === 'confirmed' or fail('the shop did not confirm: ' . file_get_contents("$shopDir/server.log"));
    step('the shop endpoint verified the IPN signature and confirmed the order');

    $reference = 'INV-' . strtoupper(bin2hex(random_bytes(3)));
    $client->updateReferences($uri, ['order_ref_1' => $reference, 'order_ref_2' => $cart]);
    step("reference updated: order_ref_1 = $reference");

    $carts = function (array $shipped, array $unshipped): array {
        $cart = fn (array $items) => ['currency' => 'EUR',
            'order_total_with_tax' => array_sum(array_column($items, 'total_with_tax')), 'items' => $items];
        return ['shipped_cart' => $cart($shipped), 'unshipped_cart' => $cart($unshipped)];
    };
    $one = ['quantity' => 1, 'total_with_tax' => 3030] + $case;
    $update = $carts([$one, $shipping], [$one]);
    $update['trackings'] = [['type' => 'postal', 'reference' => 'parcel-1', 'carrier' => 'SEUR',
        'tracking_number' => 'AB331', 'delivered_at' => date('c')]];
    $client->orderUpdate($reference, $update);
    step('partial shipment: one case and the shipping shipped (tracking AB331), one case waits');

    $client->orderUpdate($reference, $carts([$shipping], [$one]));
    step('refund: the shipped case came back');

    $client->orderUpdate($reference, $carts([$shipping], []));
    step('cancelled the rest: the waiting case will not ship; only the shipping stays charged');

    // Anyone can POST to a notify_url: a forged IPN must change nothing.
    $forged = http_build_query(['order_ref' => $uuid, 'product_code' => 'i1', 'sq_state' => 'cancelled',
        'order_ref_1' => $reference, 'approved_since' => '1', 'cart' => $cart, 'signature' => 'forged']);
    [$status] = http('POST', "http://$shopAddress/ipn", $forged);
    $status === 404 && $shop()['state'] === 'confirmed' or fail("a forged IPN was answered $status");
    step('a forged IPN was answered 404 and changed nothing');
} catch (Sequra\Exception $e) {
    fail(get_class($e) . ': ' . $e->getMessage());
}
step('done: the order lived its whole life');
