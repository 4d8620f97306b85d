--TEST--
Sequra\Order::platform() and the User-Agent read PHP's version and uname where disable_functions hides phpversion() and php_uname() from scripts (shared hosting often does)
--INI--
disable_functions=phpversion,php_uname
--FILE--
<?php
require __DIR__ . '/sequra.inc';

$platform = Sequra\Order::platform(['name' => 'woocommerce', 'version' => '8.0', 'db_name' => 'mysql', 'db_version' => '8.0']);
check("PHP's version", $platform['php_version'] === PHP_VERSION, $platform['php_version']);
check('the system', str_contains($platform['uname'], PHP_OS), $platform['uname']);
?>
--EXPECT--
PHP's version: ok
the system: ok
