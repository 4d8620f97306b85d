--TEST--
Sequra\Order::platform() makes the order's platform block from PHP (php_version, uname) and the plugin (name, version, plugin_version, db_name, db_version), and refuses a missing, wrong or unknown field with its path platform.<field> (a key quoted as every path quotes one)
--FILE--
<?php
require __DIR__ . '/sequra.inc';

$shop = ['name' => 'WooCommerce', 'version' => '8.9.1', 'plugin_version' => '3.1.0',
         'db_name' => 'mariadb', 'db_version' => '10.11.6'];
$platform = Sequra\Order::platform($shop);
echo implode(', ', array_keys($platform)), "\n";
check("PHP's version", $platform['php_version'] === PHP_VERSION);
check('php_uname()', $platform['uname'] === php_uname());
check("the plugin's fields as given", array_intersect_key($platform, $shop) === $shop);

$order = small_order();
$order['platform'] = $platform;
check('an order with it is valid', Sequra\Order::validate($order) === [], json_encode(Sequra\Order::validate($order)));
$client = sandbox_client();
$uri = $client->startSolicitation($order);
check('seQura stores it as made', inspect($uri)['order']['platform'] == $platform, json_encode(inspect($uri)['order']['platform'] ?? null));

unset($shop['plugin_version']);
check('plugin_version is optional', !isset(Sequra\Order::platform($shop)['plugin_version']));

function problems(array $shop): string
{
    try {
        Sequra\Order::platform($shop);
        return 'no exception';
    } catch (Sequra\ValidationException $e) {
        return implode("\n", array_map(fn ($p) => "{$p['path']}: {$p['message']}", $e->getProblems()));
    }
}
echo "-- nothing\n", problems([]), "\n";
echo "-- wrong types, unknown and PHP's own keys\n", problems(['name' => 'Magento', 'version' => 2.4, 'db_name' => 'mysql',
    'db_version' => '8.0', 'plugin_version' => null, 'colour' => 'red', 'uname' => 'Hidden', 'php_version' => '5.6']), "\n";
echo "-- not UTF-8\n", problems(['name' => "Tienda \xff", 'version' => '1', 'db_name' => 'mysql', 'db_version' => '8.0']), "\n";
echo "-- a list\n", problems(['Magento', '2.4']), "\n";
// A key is shown as every path shows one: on one line, quoted when it is
// empty or holds a control character (a newline could forge a log line).
echo "-- keys that must be quoted\n", problems(['name' => 'x', 'version' => '1', 'db_name' => 'mysql',
    'db_version' => '8.0', "evil\nline\x1b[31m" => 1, '' => 2]), "\n";
$many = ['name' => 'x', 'version' => '1', 'db_name' => 'mysql', 'db_version' => '8.0'];
for ($i = 0; $i < 1000; $i++) {
    $many["k$i"] = 'v';
}
$listed = explode("\n", problems($many));
echo "-- a thousand unknown keys: listed as every other list is\n", count($listed), "\n", end($listed), "\n";
?>
--EXPECT--
name, version, plugin_version, uname, db_name, db_version, php_version
PHP's version: ok
php_uname(): ok
the plugin's fields as given: ok
an order with it is valid: ok
seQura stores it as made: ok
plugin_version is optional: ok
-- nothing
platform.name: is required
platform.version: is required
platform.db_name: is required
platform.db_version: is required
-- wrong types, unknown and PHP's own keys
platform.colour: is not a field of the platform block; its fields are name, version, plugin_version, db_name and db_version
platform.php_version: is PHP's own and set by Order::platform(); leave it out
platform.uname: is PHP's own and set by Order::platform(); leave it out
platform.plugin_version: must be a string, not null; send "" when there is none
platform.version: must be a string, not a decimal number (2.4)
-- not UTF-8
platform.name: is not valid UTF-8; convert the text to UTF-8 (e.g. with mb_convert_encoding)
-- a list
platform: must be an array with the keys name, version, db_name, db_version and optionally plugin_version
-- keys that must be quoted
platform."": is not a field of the platform block; its fields are name, version, plugin_version, db_name and db_version
platform."evil\nline\u{1b}[31m": is not a field of the platform block; its fields are name, version, plugin_version, db_name and db_version
-- a thousand unknown keys: listed as every other list is
101
platform: and 900 more problems not listed; fix those above and validate again
