--TEST--
Every #[\SensitiveParameter] mark of the extension names the attribute with PHP's own interned string, as password_hash()'s mark does: no reference is counted on it, so the threads of a thread-safe PHP (ZTS) can read the marks by reflection at once
--SKIPIF--
<?php if (PHP_VERSION_ID < 80200) die('skip #[\SensitiveParameter] is PHP 8.2 and newer'); ?>
--FILE--
<?php
// A persistent string that is not interned is shared by every thread of a
// ZTS PHP, and ReflectionAttribute::getName() counts references on it with
// no lock: two threads reading it at once corrupted the heap
// (tests/php-zts/request.php does so on a ZTS build).
$marks = [
    [Sequra\Client::class, '__construct', 'options'],
    [Sequra\PosClient::class, '__construct', 'options'],
    [Sequra\PayseraClient::class, '__construct', 'options'],
    [Sequra\PayseraClient::class, 'authorizePaymentRequest', 'token'],
    [Sequra\CheckoutComClient::class, '__construct', 'options'],
    [Sequra\CheckoutComClient::class, 'verifyWebhook', 'secret'],
    [Sequra\Notifications::class, 'sign', 'secret'],
    [Sequra\Notifications::class, 'readIpn', 'secret'],
    [Sequra\Notifications::class, 'readEvent', 'secret'],
];
function name_as_dumped(ReflectionParameter $parameter): string
{
    $attributes = $parameter->getAttributes(SensitiveParameter::class);
    if (count($attributes) !== 1) {
        return 'no mark';
    }
    ob_start();
    debug_zval_dump($attributes[0]->getName());
    return trim(ob_get_clean());
}
echo "password_hash: ", name_as_dumped((new ReflectionFunction('password_hash'))->getParameters()[0]), "\n";
foreach ($marks as [$class, $method, $parameter]) {
    echo "$class::$method \$$parameter: ", name_as_dumped(new ReflectionParameter([$class, $method], $parameter)), "\n";
}
// Every parameter that may carry a secret is in the list: a constructor's
// options (a password, a key) and any named for a secret, key or token.
foreach (get_declared_classes() as $class) {
    if (!str_starts_with($class, 'Sequra\\')) {
        continue;
    }
    foreach ((new ReflectionClass($class))->getMethods() as $method) {
        foreach ($method->getParameters() as $parameter) {
            $secret = $method->name === '__construct' && $parameter->name === 'options'
                || preg_match('/secret|password|token|apikey|macid/i', $parameter->name);
            if ($secret && !in_array([$class, $method->name, $parameter->name], $marks, true)) {
                echo "not marked: $class::{$method->name} \${$parameter->name}\n";
            }
        }
    }
}
?>
--EXPECT--
password_hash: string(18) "SensitiveParameter" interned
Sequra\Client::__construct $options: string(18) "SensitiveParameter" interned
Sequra\PosClient::__construct $options: string(18) "SensitiveParameter" interned
Sequra\PayseraClient::__construct $options: string(18) "SensitiveParameter" interned
Sequra\PayseraClient::authorizePaymentRequest $token: string(18) "SensitiveParameter" interned
Sequra\CheckoutComClient::__construct $options: string(18) "SensitiveParameter" interned
Sequra\CheckoutComClient::verifyWebhook $secret: string(18) "SensitiveParameter" interned
Sequra\Notifications::sign $secret: string(18) "SensitiveParameter" interned
Sequra\Notifications::readIpn $secret: string(18) "SensitiveParameter" interned
Sequra\Notifications::readEvent $secret: string(18) "SensitiveParameter" interned
