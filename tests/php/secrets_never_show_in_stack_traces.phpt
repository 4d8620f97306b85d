--TEST--
A secret passed to the extension (a client's options, a notification or webhook secret, a payment token) never shows in a stack trace, even with zend.exception_ignore_args=Off: in getTraceAsString(), var_dump($e) or print_r($e->getTrace())
--INI--
zend.exception_ignore_args=Off
--FILE--
<?php
require __DIR__ . '/sequra.inc';

const SECRET = 'S3CR3T-MARK-7f1e9c';
// getTraceAsString() shows the first 15 bytes of a string.
const MARK = 'S3CR3T-MARK';

$endpoint = 'http://127.0.0.1:' . closed_port();
$paysera = new Sequra\PayseraClient(['endpoint' => $endpoint, 'mac_id' => '1', 'mac_secret' => 'a-mac-secret-for-tests', 'timeout' => 2]);

// Each call fails, so that its arguments are in a trace.
$calls = [
    'new Client' => fn () => new Sequra\Client(['endpoint' => 'ftp://x', 'merchant' => 'demo', 'username' => 'demo', 'password' => SECRET]),
    'new PosClient' => fn () => new Sequra\PosClient(['endpoint' => 'ftp://x', 'merchant' => 'demo', 'username' => 'demo', 'password' => SECRET]),
    'new PayseraClient' => fn () => new Sequra\PayseraClient(['endpoint' => 'ftp://x', 'mac_id' => '1', 'mac_secret' => SECRET]),
    'new CheckoutComClient' => fn () => new Sequra\CheckoutComClient(['endpoint' => 'ftp://x', 'secret_key' => SECRET]),
    'Notifications::sign' => fn () => Sequra\Notifications::sign(SECRET . "\xFF", 'C-9'),
    'Notifications::readIpn' => fn () => Sequra\Notifications::readIpn('', SECRET, 'cart'),
    'Notifications::readEvent' => fn () => Sequra\Notifications::readEvent('', SECRET, 'cart'),
    'CheckoutComClient::verifyWebhook' => fn () => Sequra\CheckoutComClient::verifyWebhook(SECRET, '{}', 'forged'),
    'PayseraClient::authorizePaymentRequest' => fn () => $paysera->authorizePaymentRequest('pr-1', SECRET),
    // A parameter that holds no secret shows, which proves the search.
    'Notifications::answerStatus (no secret)' => fn () => Sequra\Notifications::answerStatus(SECRET),
];

foreach ($calls as $what => $call) {
    try {
        $call();
        echo "$what: did not fail\n";
        continue;
    } catch (Throwable $e) {
    }
    ob_start();
    var_dump($e);
    $dumped = ob_get_clean();
    $shown = array_keys(array_filter([
        'getTraceAsString()' => str_contains($e->getTraceAsString(), MARK),
        'var_dump($e)' => str_contains($dumped, MARK),
        'print_r($e->getTrace())' => str_contains(print_r($e->getTrace(), true), MARK),
        'getMessage()' => str_contains($e->getMessage(), MARK),
    ]));
    echo "$what: ", $shown ? 'shown by ' . implode(', ', $shown) : 'hidden', "\n";
}

// The marks are on exactly the parameters that hold a secret, and the stub
// declares them.
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
new Client: hidden
new PosClient: hidden
new PayseraClient: hidden
new CheckoutComClient: hidden
Notifications::sign: hidden
Notifications::readIpn: hidden
Notifications::readEvent: hidden
CheckoutComClient::verifyWebhook: hidden
PayseraClient::authorizePaymentRequest: hidden
Notifications::answerStatus (no secret): shown by getTraceAsString(), var_dump($e), print_r($e->getTrace()), getMessage()
marked: CheckoutComClient::__construct($options), CheckoutComClient::verifyWebhook($secret), Client::__construct($options), Notifications::readEvent($secret), Notifications::readIpn($secret), Notifications::sign($secret), PayseraClient::__construct($options), PayseraClient::authorizePaymentRequest($token), PosClient::__construct($options)
the stub declares the same
