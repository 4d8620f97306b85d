--TEST--
A client is constructed once: __construct() called again on a live client (even from its logger, in the middle of a call) is a Sequra\ConfigException, and the client goes on as it was
--FILE--
<?php
require __DIR__ . '/checkout_com.inc';
require __DIR__ . '/paysera_sandbox.inc';
require __DIR__ . '/pos.inc';

$clients = [
    'Client' => sandbox_client(),
    'PosClient' => pos_client(),
    'CheckoutComClient' => checkout_com_client(),
    'PayseraClient' => paysera_client(),
];
foreach ($clients as $name => $client) {
    try {
        $client->__construct([
            'endpoint' => sandbox_url(), 'ca_file' => sandbox_ca_file(), 'merchant' => DEMO_MERCHANT,
            'username' => DEMO_USERNAME, 'password' => 'another password',
        ]);
        echo "$name: constructed again\n";
    } catch (Sequra\ConfigException $e) {
        echo "$name: ", $e->getMessage(), "\n";
    }
}
echo "the client still works: ", $clients['Client']->getMerchant(), "\n";
$clients['Client']->checkCredentials();
echo "and still calls its endpoint with its credentials\n";

// From the logger, while a call runs: the call finishes as it began.
// The logger reaches the client through a global, not a captured
// reference: a client whose logger holds it is a cycle PHP's collector
// cannot see (ext-php-rs does not report a Rust struct's zvals), which
// lives until the request ends.
$refused = null;
$GLOBALS['client'] = sandbox_client(['logger' => function (string $level) use (&$refused) {
    if ($refused !== null) {
        return;
    }
    try {
        // Options that would make a client: only its being live refuses them.
        $GLOBALS['client']->__construct([
            'endpoint' => sandbox_url(), 'ca_file' => sandbox_ca_file(), 'merchant' => DEMO_MERCHANT,
            'username' => DEMO_USERNAME, 'password' => 'another password',
        ]);
        $refused = 'no';
    } catch (Sequra\ConfigException $e) {
        $refused = get_class($e);
    }
}]);
$methods = $GLOBALS['client']->getMerchantPaymentMethods();
echo "from the logger: $refused; the call answered ", count($methods) > 0 ? 'its methods' : 'nothing', "\n";
?>
--EXPECT--
Client: configuration: this Sequra\Client is constructed already; make a new one with new
PosClient: configuration: this Sequra\PosClient is constructed already; make a new one with new
CheckoutComClient: configuration: this Sequra\CheckoutComClient is constructed already; make a new one with new
PayseraClient: configuration: this Sequra\PayseraClient is constructed already; make a new one with new
the client still works: demo
and still calls its endpoint with its credentials
from the logger: Sequra\ConfigException; the call answered its methods
