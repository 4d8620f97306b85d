--TEST--
A wrong argument type is a \TypeError with PHP's message (the method, the parameter, the expected and the given type), and a wrong argument count an \ArgumentCountError, as PHP users expect
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
        echo "$call: ", get_class($e), $e instanceof TypeError ? ': ' . $e->getMessage() : '', "\n";
    }
}
?>
--EXPECT--
new Client("sandbox"): TypeError: Sequra\Client::__construct(): Argument #1 ($options) must be of type array, string given
new Client(null): TypeError: Sequra\Client::__construct(): Argument #1 ($options) must be of type array, null given
startSolicitation("{}"): TypeError: Sequra\Client::startSolicitation(): Argument #1 ($order) must be of type array, string given
startSolicitation(null): TypeError: Sequra\Client::startSolicitation(): Argument #1 ($order) must be of type array, null given
getIdentificationForm([]): TypeError: Sequra\Client::getIdentificationForm(): Argument #1 ($orderUri) must be of type string, array given
getIdentificationForm("uuid", "i1"): TypeError: Sequra\Client::getIdentificationForm(): Argument #2 ($options) must be of type ?array, string given
confirm("uuid", "order"): TypeError: Sequra\Client::confirm(): Argument #2 ($order) must be of type array, string given
confirm([], []): TypeError: Sequra\Client::confirm(): Argument #1 ($orderUri) must be of type string, array given
startSolicitation(): ArgumentCountError: Sequra\Client::startSolicitation() expects exactly 1 argument, 0 given
getMerchant(1): ArgumentCountError: Sequra\Client::getMerchant() expects exactly 0 arguments, 1 given
getKind(1): ArgumentCountError: Sequra\Exception::getKind() expects exactly 0 arguments, 1 given
