--TEST--
Every client class pools its connections by default (two clients one after the other open 1 connection); 'persistent' => false or sequra.persistent=0 turn it off (2 connections), and the option wins over the setting
--CONFLICTS--
all
--FILE--
<?php
require __DIR__ . '/pos.inc';
require __DIR__ . '/checkout_com.inc';
require __DIR__ . '/paysera_sandbox.inc';

/** Connections the sandbox has taken, this look at the counters included. */
function connections(): int
{
    [$status, $stats] = sandbox_control('GET', '/sandbox/stats');
    if ($status !== 200) {
        throw new RuntimeException("GET /sandbox/stats answered $status");
    }
    return $stats['connections'];
}

// One call of each class; each client is gone before the next is built,
// as a shop's clients are at the end of each PHP request.
$calls = [
    'Client' => fn (array $o) => sandbox_client($o)->getMerchantPaymentMethods(),
    'PosClient' => fn (array $o) => pos_client($o)->createOrder(pos_order()),
    'CheckoutComClient' => fn (array $o) => checkout_com_client($o)->createSetup(payment_setup()),
    'PayseraClient' => fn (array $o) => paysera_client($o)->createPaymentRequest(payment_request()),
];

/** Connections opened by two clients built one after the other. */
function opened_by_two(callable $call, array $options): int
{
    // A user agent of its own: a pool of its own, not one an earlier case filled.
    $options['user_agent'] = 'phpt-pool-' . bin2hex(random_bytes(4));
    $before = connections();
    $call($options);
    $call($options);
    // The second look at the counters is a connection of its own.
    return connections() - $before - 1;
}

foreach ($calls as $class => $call) {
    ini_restore('sequra.persistent');
    $default = opened_by_two($call, []);
    $off = opened_by_two($call, ['persistent' => false]);
    ini_set('sequra.persistent', '0');
    $iniOff = opened_by_two($call, []);
    $optionWins = opened_by_two($call, ['persistent' => true]);
    echo "$class: default $default, 'persistent' => false $off, sequra.persistent=0 $iniOff, ",
        "sequra.persistent=0 with 'persistent' => true $optionWins\n";
}
ini_restore('sequra.persistent');
check('the setting is On by default', ini_get('sequra.persistent') === '1');
?>
--EXPECT--
Client: default 1, 'persistent' => false 2, sequra.persistent=0 2, sequra.persistent=0 with 'persistent' => true 1
PosClient: default 1, 'persistent' => false 2, sequra.persistent=0 2, sequra.persistent=0 with 'persistent' => true 1
CheckoutComClient: default 1, 'persistent' => false 2, sequra.persistent=0 2, sequra.persistent=0 with 'persistent' => true 1
PayseraClient: default 1, 'persistent' => false 2, sequra.persistent=0 2, sequra.persistent=0 with 'persistent' => true 1
the setting is On by default: ok
