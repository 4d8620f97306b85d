--TEST--
A Psr\Log\LoggerInterface works as it is with every client class; a logger that is neither callable nor has a public log() is a ConfigException at construction, naming the option and never its value
--FILE--
<?php
require __DIR__ . '/logger.inc';
require __DIR__ . '/pos.inc';
require __DIR__ . '/checkout_com.inc';
require __DIR__ . '/paysera_sandbox.inc';

$log = new Recorder();
sandbox_client(['logger' => $log])->getMerchantPaymentMethods();
[[$level, $message, $context]] = $log->records;
echo "$level: $message\n";
echo 'context: ', implode(', ', array_keys($context)), "\n";

// A logger whose log() is reached through __call works too (a decorator).
final class Forwarding
{
    public array $calls = [];
    public function __call(string $name, array $arguments): void
    {
        $this->calls[] = $name . ' ' . $arguments[0];
    }
}
$forwarding = new Forwarding();
sandbox_client(['logger' => $forwarding])->getMerchantPaymentMethods();
echo 'through __call: ', implode(', ', $forwarding->calls), "\n";

// Every client class takes the option; a null one is no logger.
$makers = [
    'Client' => fn (array $o) => sandbox_client($o),
    'PosClient' => fn (array $o) => pos_client($o),
    'CheckoutComClient' => fn (array $o) => checkout_com_client($o),
    'PayseraClient' => fn (array $o) => paysera_client($o),
];
final class PrivateLog
{
    private function log($level, $message, array $context = []): void {}
}
$bad = [
    'an int' => 42,
    'a string that names no function' => 'no_such_function_anywhere',
    'an object without log()' => new stdClass(),
    'an object with a private log()' => new PrivateLog(),
    'an array that is not a callable' => ['a', 'b'],
];
foreach ($makers as $class => $make) {
    $make(['logger' => null]);
    $make(['logger' => new Recorder()]);
    foreach ($bad as $what => $logger) {
        try {
            $make(['logger' => $logger]);
            echo "$class took $what\n";
        } catch (Sequra\ConfigException $e) {
            $message = $e->getMessage();
            if (!str_contains($message, 'option logger') || str_contains($message, 'no_such_function_anywhere')) {
                echo "$class, $what: $message\n";
            }
        }
    }
    echo "$class: every bad logger refused\n";
}
try {
    sandbox_client(['logger' => 42]);
} catch (Sequra\ConfigException $e) {
    echo $e->getMessage(), "\n";
}
try {
    sandbox_client(['logger' => new PrivateLog()]);
} catch (Sequra\ConfigException $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECTF--
debug: GET /merchants/demo/payment_methods answered 200 in %d ms
context: attempt, method, ms, path, status
through __call: log debug
Client: every bad logger refused
PosClient: every bad logger refused
CheckoutComClient: every bad logger refused
PayseraClient: every bad logger refused
configuration: option logger is an int; use a PSR-3 logger (an object with a public log($level, $message, array $context) method) or a callable taking those arguments
configuration: option logger is an object of class PrivateLog without a public log() method; use a PSR-3 logger (an object with a public log($level, $message, array $context) method) or a callable taking those arguments
