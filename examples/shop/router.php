<?php
// The example shop's front controller, for PHP's built-in server:
//
//   SHOP_DATA_DIR=/tmp/shop SEQURA_SANDBOX_URL=http://127.0.0.1:PORT \
//     php -d extension=target/debug/libsequra_php.so -S 127.0.0.1:8080 examples/shop/router.php
//
// The places a seQura plugin has:
//   checkout.php        /, /checkout, /checkout/pay, /checkout/done  (the shopper)
//   ipn.php             /ipn                                         (seQura)
//   events.php          /events                                      (seQura)
//   admin/order.php     /admin/orders, /admin/orders/{id}            (the admin)
//   admin/settings.php  /admin/settings                              (the admin)
// A real shop puts /admin/... behind its admin login.

declare(strict_types=1);

require __DIR__ . '/lib/config.php';
require __DIR__ . '/lib/store.php';
require __DIR__ . '/lib/cart.php';
require __DIR__ . '/lib/html.php';
require __DIR__ . '/lib/notifications.php';

$path = (string) parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);

if (!extension_loaded('sequra')) {
    page('Not installed', notice('error', 'The sequra PHP extension is not loaded: run php -d extension=/path/to/libsequra_php.so'), 500);
}

$place = match (true) {
    $path === '/', str_starts_with($path, '/checkout') => 'checkout.php',
    $path === '/ipn' => 'ipn.php',
    $path === '/events' => 'events.php',
    $path === '/admin/orders', str_starts_with($path, '/admin/orders/') => 'admin/order.php',
    $path === '/admin/settings' => 'admin/settings.php',
    default => null,
};
if ($place === null) {
    page('Not found', notice('error', "Nothing at $path."), 404);
}
require __DIR__ . "/$place";
