--TEST--
The example shop's client logs every exchange with seQura to SHOP_DATA_DIR/sequra.log, one JSON line each, without its password or the shopper's data; its orders carry the platform block Sequra\Order::platform() made; its own function that takes the settings keeps the password out of stack traces
--INI--
zend.exception_ignore_args=0
--FILE--
<?php
require __DIR__ . '/sequra.inc';
require __DIR__ . '/../../examples/shop/lib/config.php';
require __DIR__ . '/../../examples/shop/lib/cart.php';

$dir = sys_get_temp_dir() . '/sequra-shop-phpt-' . bin2hex(random_bytes(4));
putenv("SHOP_DATA_DIR=$dir");
putenv('SEQURA_SANDBOX_URL=' . sandbox_url());
putenv('SHOP_URL=http://127.0.0.1:8080');
$_SERVER['REMOTE_ADDR'] = '203.0.113.7';

$shopOrder = ['id' => 'SHOP-' . bin2hex(random_bytes(4)), 'lines' => example_cart(), 'shopper' => example_shopper()];
$order = sequra_order($shopOrder, 'demo');
check('the order has the platform block', $order['platform']['php_version'] === PHP_VERSION
    && $order['platform']['uname'] === php_uname() && $order['platform']['name'] === 'example-shop');
check('and it is valid', Sequra\Order::validate($order) === [], json_encode(Sequra\Order::validate($order)));

$client = sequra_client();
$uri = $client->startSolicitation($order);
$client->getPaymentMethods($uri);

$lines = file("$dir/sequra.log", FILE_IGNORE_NEW_LINES);
$records = array_map(fn ($line) => json_decode($line, true), $lines);
check('two lines, one per exchange', count($records) === 2, implode("\n", $lines));
check('each a JSON record with time, level, message and context',
    array_filter($records, fn ($r) => !isset($r['time'], $r['level'], $r['message'], $r['context']['path'])) === []);
$text = implode("\n", $lines);
$shopper = example_shopper();
check('never the password', !str_contains($text, sequra_settings()['password']));
check("never the shopper's email", !str_contains($text, $shopper['customer']['email']));

// A settings page trying what the merchant typed: the shop's own frame
// holds the settings, as the extension's holds the password.
$typed = ['endpoint' => 'sandbx', 'merchant' => 'demo', 'username' => 'demo', 'password' => 'Typed-Wrong-S3cret'];
try {
    sequra_client($typed);
    check('a bad endpoint is refused', false);
} catch (Sequra\ConfigException $e) {
    $trace = print_r($e->getTrace(), true) . $e->getTraceAsString() . var_export($e, true);
    check('a bad endpoint is refused', true);
    // PHP 8.1 has no #[\SensitiveParameter]: a plugin's own frames show
    // their arguments there (README says so).
    check('its trace shows the frames but never the typed password',
        str_contains($trace, 'sequra_client')
            && (PHP_VERSION_ID < 80200 || !str_contains($trace, 'Typed-Wrong-S3cret')), $trace);
}

array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
the order has the platform block: ok
and it is valid: ok
two lines, one per exchange: ok
each a JSON record with time, level, message and context: ok
never the password: ok
never the shopper's email: ok
a bad endpoint is refused: ok
its trace shows the frames but never the typed password: ok
