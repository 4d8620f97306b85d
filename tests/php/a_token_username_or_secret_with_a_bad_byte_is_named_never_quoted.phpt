--TEST--
A Paysera token, a username with a password pasted in, and a webhook or notification secret copied with its line end are each refused naming the field and what is wrong, never quoting a byte of them
--FILE--
<?php
require __DIR__ . '/paysera_sandbox.inc';
require __DIR__ . '/pos.inc';
require __DIR__ . '/checkout_com.inc';

/**
 * The exception $call throws, as "Class: message", and whether $secret is
 * anywhere in it (its message, problems, trace and string; $secret is
 * marked so that this frame of the trace does not hold it).
 */
function refusal(callable $call, #[\SensitiveParameter] string $secret): string
{
    try {
        $call();
        return 'accepted';
    } catch (Sequra\Exception $e) {
        $problems = method_exists($e, 'getProblems') ? json_encode($e->getProblems()) : '';
        $everywhere = $e->getMessage() . $problems . print_r($e, true) . $e;
        return get_class($e) . ': ' . $e->getMessage()
            . (str_contains($everywhere, $secret) ? ' [QUOTED]' : '');
    }
}

// The token lets the business charge the shopper again.
$paysera = paysera_client();
echo refusal(fn () => $paysera->authorizePaymentRequest('pr-1', "MACSECRET-token\n"), 'MACSECRET'), "\n";
echo refusal(fn () => $paysera->authorizePaymentRequest('pr-1', str_repeat('MACSECRET', 200)), 'MACSECRET'), "\n";
try {
    $paysera->authorizePaymentRequest('pr-1', "MACSECRET-token\n");
} catch (Sequra\ValidationException $e) {
    check('getProblems names the token only', $e->getProblems() === [[
        'path' => 'token',
        'message' => 'has a control character (a line end copied with it?); copy it again (not quoted here: it is a secret)',
    ]]);
}

// A ':' or a line end in a username: usually user:password pasted whole.
$sequra = ['endpoint' => 'sandbox', 'merchant' => 'demo', 'password' => 'x'];
echo refusal(fn () => new Sequra\Client($sequra + ['username' => 'shop:S3CR3T']), 'S3CR3T'), "\n";
echo refusal(fn () => new Sequra\PosClient($sequra + ['username' => "shop\nS3CR3T"]), 'S3CR3T'), "\n";
echo refusal(fn () => new Sequra\PosClient($sequra + ['username' => "shop:S3CR3T\r\n"]), 'S3CR3T'), "\n";

// A secret copied with its line end: a configuration error, not every
// genuine webhook or IPN refused as forged.
$body = '{"id":"evt_1","type":"payment_approved","created_on":"2026-04-30T10:00:00Z","data":{}}';
echo refusal(fn () => Sequra\CheckoutComClient::verifyWebhook(CKO_WEBHOOK_SECRET . "\n", $body, 'ab'),
    CKO_WEBHOOK_SECRET), "\n";
echo refusal(fn () => Sequra\Notifications::sign("a-long-random-shop-secret\0", 'C-9'), 'a-long-random'), "\n";
echo refusal(fn () => Sequra\Notifications::readIpn('cart=C-9', "a-long-random-shop-secret\n", 'cart'),
    'a-long-random'), "\n";
echo refusal(fn () => Sequra\Notifications::readEvent('cart=C-9', "a-long-random-shop-secret\r\n", 'cart'),
    'a-long-random'), "\n";
?>
--EXPECT--
Sequra\ValidationException: invalid input: token: has a control character (a line end copied with it?); copy it again (not quoted here: it is a secret)
Sequra\ValidationException: invalid input: token: is 1800 bytes, longer than 1024; copy it again (not quoted here: it is a secret)
getProblems names the token only: ok
Sequra\ConfigException: configuration: username has a ':' at byte 4 (a password pasted with it?), which HTTP Basic authentication cannot carry in a user name; copy it again (not quoted here: it may hold a password)
Sequra\ConfigException: configuration: username has a control character at byte 4 (a line end or a password pasted with it?); copy it again (not quoted here: it may hold a password)
Sequra\ConfigException: configuration: username has a ':' at byte 4 (a password pasted with it?), which HTTP Basic authentication cannot carry in a user name; copy it again (not quoted here: it may hold a password)
Sequra\ConfigException: configuration: the webhook secret has a control character (a line end copied with it?); copy it again (not quoted here: it is a secret)
Sequra\ConfigException: configuration: the notification secret has a control character (a line end copied with it?); copy it again (not quoted here: it is a secret)
Sequra\ConfigException: configuration: the notification secret has a control character (a line end copied with it?); copy it again (not quoted here: it is a secret)
Sequra\ConfigException: configuration: the notification secret has a control character (a line end copied with it?); copy it again (not quoted here: it is a secret)
