--TEST--
A wrong argument type is a \TypeError and a wrong argument count an \ArgumentCountError, as PHP users expect
--FILE--
<?php
require __DIR__ . '/sequra.inc';

// Nothing is sent in this test: every call fails before.
$client = new Sequra\Client(['endpoint' => 'http://127.0.0.1:' . closed_port(), 'merchant' => 'demo',
                             'username' => 'demo', 'password' => 'x']);
$calls = [
    'new Client("sandbox")' => fn () => new Sequra\Client('sandbox'),
    'new Client(null)' => fn () => new Sequra\Client(null),
    'startSolicitation("{}")' => fn () => $client->startSolicitation('{}'),
    'startSolicitation(null)' => fn () => $client->startSolicitation(null),
    'getIdentificationForm([])' => fn () => $client->getIdentificationForm([]),
    'getIdentificationForm("uuid", "i1")' => fn () => $client->getIdentificationForm('uuid', 'i1'),
    'confirm("uuid", "order")' => fn () => $client->confirm('uuid', 'order'),
    'confirm([], [])' => fn () => $client->confirm([], []),
    'startSolicitation()' => fn () => $client->startSolicitation(),
    'getMerchant(1)' => fn () => $client->getMerchant(1),
    'getKind(1)' => fn () => (new Sequra\ConflictException('x'))->getKind(1),
];
foreach ($calls as $call => $f) {
    try {
        $f();
        echo "$call: no error\n";
    } catch (Throwable $e) {
        echo "$call: ", get_class($e), "\n";
    }
}
?>
--EXPECT--
new Client("sandbox"): TypeError
new Client(null): TypeError
startSolicitation("{}"): TypeError
startSolicitation(null): TypeError
getIdentificationForm([]): TypeError
getIdentificationForm("uuid", "i1"): TypeError
confirm("uuid", "order"): TypeError
confirm([], []): TypeError
startSolicitation(): ArgumentCountError
getMerchant(1): ArgumentCountError
getKind(1): ArgumentCountError
