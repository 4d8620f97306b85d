--TEST--
Sequra\PosClient takes Sequra\Client's options: bad ones are a Sequra\ConfigException, and traces never show the password, from the very first construction
--FILE--
<?php
require __DIR__ . '/pos.inc';

try {
    // The first construction in this process, and it throws.
    new Sequra\PosClient(['endpoint' => 'sandbox', 'password' => 'p4ss-w0rd-XYZ']);
} catch (Sequra\ConfigException $e) {
    echo $e->getKind(), ' | ', $e->getMessage(), "\n";
    check('the trace hides the options', trace_hides_the_secret($e));
    check('the password is nowhere', !str_contains(print_r($e, true), 'p4ss-w0rd-XYZ')
        && !str_contains((string) $e, 'p4ss-w0rd-XYZ'));
}

try {
    new Sequra\PosClient(['endpoint' => 'sandbox', 'merchant' => 'demo', 'username' => 'demo',
                          'password' => 'p4ss-w0rd-XYZ', 'pasword' => 'x']);
} catch (Sequra\ConfigException $e) {
    check('an unknown option is named', str_contains($e->getMessage(), 'unknown option "pasword"'));
}

try {
    new Sequra\PosClient([1, 2]);
} catch (Sequra\ConfigException $e) {
    echo 'a list: ', $e->getMessage(), "\n";
}

$client = pos_client(['user_agent' => 'counter/2', 'allow_unknown_keys' => true]);
check('a good client knows its merchant', $client->getMerchant() === 'demo');
$order = pos_order() + ['nin_control' => '0012201M'];
check('allow_unknown_keys lets a field through', $client->validateOrder($order) === []);
check('and sends it', $client->createOrder($order)['status'] === 'pending');
check('otherwise it is a typo', pos_client()->validateOrder($order)[0]['path'] === 'nin_control');
?>
--EXPECT--
config | configuration: option merchant is required
the trace hides the options: ok
the password is nowhere: ok
an unknown option is named: ok
a list: configuration: the options must be an array of 'option' => value, not a list of values
a good client knows its merchant: ok
allow_unknown_keys lets a field through: ok
and sends it: ok
otherwise it is a typo: ok
