--TEST--
A checkout.com client with OAuth, built anew for each PHP request as a shop builds it, reuses the access token of the process's earlier clients of the same credentials (persistent, the default); with 'persistent' => false each client fetches its own
--CONFLICTS--
all
--FILE--
<?php
require __DIR__ . '/checkout_com.inc';

function oauth_client(array $options = []): Sequra\CheckoutComClient
{
    return new Sequra\CheckoutComClient($options + [
        'client_id' => CKO_CLIENT_ID,
        'client_secret' => CKO_CLIENT_SECRET,
        'environment' => 'sandbox',
        'endpoint' => sandbox_url(),
        'access_url' => sandbox_url() . '/connect/token',
        'ca_file' => sandbox_ca_file(),
        'processing_channel_id' => CKO_CHANNEL,
        'timeout' => 10,
    ]);
}

function tokens_issued(): int
{
    return checkout_com_control('GET', 'oauth')[1]['tokens_issued'];
}

$before = tokens_issued();
for ($request = 0; $request < 3; $request++) {
    $client = oauth_client();
    $setup = $client->createSetup(payment_setup());
    unset($client);
}
check('three clients, one token', tokens_issued() - $before === 1, (string) (tokens_issued() - $before));

$own = oauth_client(['persistent' => false]);
$own->createSetup(payment_setup());
check('a client that is not persistent fetches its own', tokens_issued() - $before === 2);

try {
    oauth_client(['client_secret' => 'not-the-secret'])->createSetup(payment_setup());
    echo "another secret was taken\n";
} catch (Sequra\AuthenticationException $e) {
    check('another secret gets no token: ' . get_class($e), !str_contains($e->getMessage(), 'not-the-secret'));
}
?>
--EXPECT--
three clients, one token: ok
a client that is not persistent fetches its own: ok
another secret gets no token: Sequra\AuthenticationException: ok
