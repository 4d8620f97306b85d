--TEST--
With opcache on (built into PHP 8.5 and on in its built-in web server; here in the CLI), which moves every interned string into shared memory after startup, the methods of every client class still run, and an object that was not constructed is still the ConfigException that says so
--SKIPIF--
<?php
require __DIR__ . '/opcache.inc';
if (opcache_options() === null) {
    echo 'skip opcache cannot be turned on for this PHP';
}
?>
--FILE--
<?php
require __DIR__ . '/opcache.inc';

if (($argv[1] ?? '') === 'child') {
    echo 'opcache: ', opcache_get_status() !== false ? 'on' : 'off', "\n";
    $options = ['endpoint' => 'http://127.0.0.1:9', 'merchant' => 'demo', 'username' => 'demo', 'password' => 'x'];
    echo 'Client: ', (new Sequra\Client($options))->getMerchant(), "\n";
    echo 'PosClient: ', (new Sequra\PosClient($options))->getMerchant(), "\n";
    echo 'PayseraClient: ', count((new Sequra\PayseraClient(['mac_id' => 'm', 'mac_secret' => str_repeat('s', 16)]))->validatePaymentRequest([])) > 0 ? 'validates' : 'FAILED', "\n";
    try {
        (new ReflectionClass(Sequra\Client::class))->newInstanceWithoutConstructor()->getMerchant();
    } catch (Sequra\ConfigException $e) {
        echo 'not constructed: ', get_class($e), "\n";
    }
    return;
}
$command = array_merge([PHP_BINARY, '-n'], opcache_options(), ['-d', 'extension=' . sequra_extension_path(), __FILE__, 'child']);
exec(implode(' ', array_map('escapeshellarg', $command)) . ' 2>&1', $output, $status);
echo implode("\n", $output), "\nexit status $status\n";
?>
--EXPECT--
opcache: on
Client: demo
PosClient: demo
PayseraClient: validates
not constructed: Sequra\ConfigException
exit status 0
