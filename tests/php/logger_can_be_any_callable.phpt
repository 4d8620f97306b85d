--TEST--
A callable logger works: a closure, a function's name, [object, method], Class::method, an invokable object; each gets (level, message, context)
--FILE--
<?php
require __DIR__ . '/logger.inc';

$got = [];
function log_to_array(string $level, string $message, array $context): void
{
    global $got;
    $got[] = "function: $level {$context['method']} {$context['path']}";
}
final class Handlers
{
    public function method(string $level, string $message, array $context): void
    {
        $GLOBALS['got'][] = "method: $level {$context['status']}";
    }
    public static function staticMethod(string $level, string $message, array $context): void
    {
        $GLOBALS['got'][] = "static: $level {$context['attempt']}";
    }
    public function __invoke(string $level, string $message, array $context): void
    {
        $GLOBALS['got'][] = "invoked: $level " . gettype($context['ms']);
    }
}

$loggers = [
    function (string $level, string $message, array $context) use (&$got) { $got[] = "closure: $message"; },
    'log_to_array',
    [new Handlers(), 'method'],
    'Handlers::staticMethod',
    new Handlers(),
    // A first-class callable of a PSR-3 logger's method.
    (new Recorder())->log(...),
];
foreach ($loggers as $logger) {
    sandbox_client(['logger' => $logger])->getMerchantPaymentMethods();
}
echo implode("\n", $got), "\n";
?>
--EXPECTF--
closure: GET /merchants/demo/payment_methods answered 200 in %d ms
function: debug GET /merchants/demo/payment_methods
method: debug 200
static: debug 1
invoked: debug integer
