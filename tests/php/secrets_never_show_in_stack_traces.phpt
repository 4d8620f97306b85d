--TEST--
A secret passed to the extension (a client's options, a notification or webhook secret, a payment token) never shows in a stack trace, even with zend.exception_ignore_args=Off: in getTraceAsString(), var_dump($e) or print_r($e->getTrace()); on PHP 8.1, which has no #[\SensitiveParameter], those calls record no arguments
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

// The setting 8.1 turns on during those calls is back: a trace of the
// script's own shows its arguments.
function fails(string $argument): void
{
    throw new RuntimeException('fails');
}
try {
    fails('an argument');
} catch (RuntimeException $e) {
    echo "afterwards a trace shows arguments: ", ($e->getTrace()[0]['args'] ?? []) === ['an argument'] ? 'yes' : 'no', "\n";
}
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
afterwards a trace shows arguments: yes
