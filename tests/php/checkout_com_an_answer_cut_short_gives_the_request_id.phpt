--TEST--
checkout.com: a setup created whose answer is cut short gives checkout.com's request id, for its support, with the key to retry with
--CONFLICTS--
all
--FILE--
<?php
require __DIR__ . '/checkout_com.inc';
require_once __DIR__ . '/faults.inc';

$client = checkout_com_client();
$before = setups_in_sandbox();
// checkout.com creates the setup and answers; the connection drops
// halfway through the answer's body, on each of the three tries (a keyed
// POST is sent again with its key: one cut answer costs nothing).
queue_fault(['method' => 'POST', 'path' => '/payments/setups', 'fault' => 'truncated_body', 'when' => 'after', 'count' => 3]);
try {
    $client->createSetup(payment_setup());
    echo "no exception\n";
} catch (Sequra\TransportException $e) {
    echo get_class($e), ' after ', var_export($e->getHttpStatus(), true), "\n";
    check('it may have acted', $e->mayHaveActed());
    $id = $e->getRequestId();
    check("checkout.com's request id is given", is_string($id) && $id !== '', var_export($id, true));
    check('and named in the message',
        is_string($id) && str_contains($e->getMessage(), "(request id $id)"), $e->getMessage());
    check('with the key to retry with', is_string($e->getIdempotencyKey()));
}
check('the setup was created once', setups_in_sandbox() === $before + 1);
check('every try met the fault', faults_left('/payments/setups') === []);
?>
--EXPECT--
Sequra\TransportException after 201
it may have acted: ok
checkout.com's request id is given: ok
and named in the message: ok
with the key to retry with: ok
the setup was created once: ok
every try met the fault: ok
