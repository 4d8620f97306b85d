--TEST--
The extension's #[\SensitiveParameter] marks are on exactly the parameters that hold a secret (a password, key, secret or token, or a client's options), and the stub declares the same
--SKIPIF--
<?php if (PHP_VERSION_ID < 80200) die('skip #[\SensitiveParameter] is PHP 8.2 and newer (8.1: secrets_never_show_in_stack_traces.phpt)'); ?>
--FILE--
<?php
$stub = file_get_contents(__DIR__ . '/../../php-ext/sequra.stub.php');
preg_match_all('{^    (?:final )?class (\w+)|^        public (?:static )?function (\w+)\(([^)]*)\)}m', $stub, $found, PREG_SET_ORDER);
$declared = [];
foreach ($found as $f) {
    if ($f[1] !== '') {
        $class = $f[1];
        continue;
    }
    preg_match_all('{#\[\\\\SensitiveParameter\] [^$]*\$(\w+)}', $f[3], $marked);
    foreach ($marked[1] as $parameter) {
        $declared[] = "$class::{$f[2]}(\$$parameter)";
    }
}
$marked = [];
foreach ((new ReflectionExtension('sequra'))->getClasses() as $class) {
    foreach ($class->getMethods() as $method) {
        foreach ($method->getParameters() as $parameter) {
            $sensitive = $parameter->getAttributes(SensitiveParameter::class) !== [];
            $secret = preg_match('{secret|password|token}i', $parameter->getName())
                || ($method->getName() === '__construct' && $parameter->getName() === 'options');
            $name = $class->getShortName() . '::' . $method->getName() . '($' . $parameter->getName() . ')';
            if ($sensitive !== (bool) $secret) {
                echo $name, $sensitive ? ' is marked but holds no secret' : ' holds a secret but is not marked', "\n";
            }
            if ($sensitive) {
                $marked[] = $name;
            }
        }
    }
}
sort($marked);
sort($declared);
echo "marked: ", implode(', ', $marked), "\n";
echo $marked === $declared ? "the stub declares the same\n" : "the stub declares: " . implode(', ', $declared) . "\n";
?>
--EXPECT--
marked: CheckoutComClient::__construct($options), CheckoutComClient::verifyWebhook($secret), Client::__construct($options), Notifications::readEvent($secret), Notifications::readIpn($secret), Notifications::sign($secret), PayseraClient::__construct($options), PayseraClient::authorizePaymentRequest($token), PosClient::__construct($options)
the stub declares the same
