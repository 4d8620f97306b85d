--TEST--
A sandbox whose certificate the client does not trust (no ca_file: the built-in roots; or another CA's file) is a Sequra\TlsException (a TransportException too) saying the request was not sent, and none reaches the API
--CONFLICTS--
all
--FILE--
<?php
require __DIR__ . '/checkout_com.inc';
require __DIR__ . '/faults.inc';
require __DIR__ . '/paysera_sandbox.inc';
require __DIR__ . '/pos.inc';

// A CA that signed nothing the sandbox serves.
[$status, $tls] = sandbox_control('GET', '/sandbox/tls');
check('the sandbox serves HTTPS', $status === 200 && $tls['tls'] === 'on', json_encode($tls));
$otherCa = tempnam(sys_get_temp_dir(), 'unrelated-ca-');
file_put_contents($otherCa, $tls['unrelated_ca_pem']);

// Each client's first request that would create something, and its route.
// 'ca_file' => null is no ca_file (an option set to null is an option not
// given): the built-in roots, which do not know the sandbox's CA.
$calls = fn (?string $caFile) => [
    'Client' => [sandbox_client(['ca_file' => $caFile]), fn ($c) => $c->startSolicitation(small_order()), 'POST', '/orders'],
    'PosClient' => [pos_client(['ca_file' => $caFile]), fn ($c) => $c->createOrder(pos_order()), 'POST', '/api/public/v1/orders'],
    'CheckoutComClient' => [checkout_com_client(['ca_file' => $caFile]), fn ($c) => $c->createSetup(payment_setup()), 'POST', '/payments/setups'],
    'PayseraClient' => [paysera_client(['ca_file' => $caFile]), fn ($c) => $c->createPaymentRequest(payment_request()), 'POST', '/checkout/rest/v1/payment-requests'],
];

foreach (['no ca_file' => null, "another CA's file" => $otherCa] as $case => $caFile) {
    foreach ($calls($caFile) as $class => [$client, $call, $method, $path]) {
        $before = requests_reached($method, $path);
        try {
            $call($client);
            echo "$case, $class: answered\n";
        } catch (Sequra\Exception $e) {
            echo "$case, $class: ", get_class($e), ' (', $e->getKind(), ')',
                $e instanceof Sequra\TransportException ? ', a TransportException' : ', NOT a TransportException',
                $e->mayHaveActed() ? ', may have acted' : ', did not act',
                str_contains($e->getMessage(), 'the request was not sent: the TLS connection was refused')
                    ? ', says the request was not sent' : ": {$e->getMessage()}", "\n";
        }
        check("$case, $class: nothing reached $method $path", requests_reached($method, $path) === $before);
    }
}
unlink($otherCa);

// With the sandbox's CA the same client works: the refusals above are the trust's.
sandbox_client()->checkCredentials();
echo "with the sandbox's CA: the credentials work\n";
?>
--EXPECT--
the sandbox serves HTTPS: ok
no ca_file, Client: Sequra\TlsException (tls), a TransportException, did not act, says the request was not sent
no ca_file, Client: nothing reached POST /orders: ok
no ca_file, PosClient: Sequra\TlsException (tls), a TransportException, did not act, says the request was not sent
no ca_file, PosClient: nothing reached POST /api/public/v1/orders: ok
no ca_file, CheckoutComClient: Sequra\TlsException (tls), a TransportException, did not act, says the request was not sent
no ca_file, CheckoutComClient: nothing reached POST /payments/setups: ok
no ca_file, PayseraClient: Sequra\TlsException (tls), a TransportException, did not act, says the request was not sent
no ca_file, PayseraClient: nothing reached POST /checkout/rest/v1/payment-requests: ok
another CA's file, Client: Sequra\TlsException (tls), a TransportException, did not act, says the request was not sent
another CA's file, Client: nothing reached POST /orders: ok
another CA's file, PosClient: Sequra\TlsException (tls), a TransportException, did not act, says the request was not sent
another CA's file, PosClient: nothing reached POST /api/public/v1/orders: ok
another CA's file, CheckoutComClient: Sequra\TlsException (tls), a TransportException, did not act, says the request was not sent
another CA's file, CheckoutComClient: nothing reached POST /payments/setups: ok
another CA's file, PayseraClient: Sequra\TlsException (tls), a TransportException, did not act, says the request was not sent
another CA's file, PayseraClient: nothing reached POST /checkout/rest/v1/payment-requests: ok
with the sandbox's CA: the credentials work
