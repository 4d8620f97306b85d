--TEST--
A logger that throws (an Exception or an Error) or calls the extension itself does not break the call: its record is dropped and counted, nothing stays pending
--FILE--
<?php
require __DIR__ . '/logger.inc';

$dropped = Sequra\Client::droppedLogRecords();
check('the count starts as an int', is_int($dropped));

$calls = 0;
$throws = function (string $level, string $message, array $context) use (&$calls) {
    $calls++;
    throw new RuntimeException('the log disk is full');
};
$client = sandbox_client(['logger' => $throws]);
$uri = $client->startSolicitation(small_order());
check('the call returns its answer', str_contains($uri, '/orders/'));
check('the logger was called', $calls === 1);
check('its record is counted as dropped', Sequra\Client::droppedLogRecords() === $dropped + 1);
check('no exception is left pending', (function () { try { return true; } finally { } })());

// An Error: a TypeError from a logger declared with the wrong arguments.
$client = sandbox_client(['logger' => fn (int $level) => null]);
$client->getPaymentMethods($uri);
check('a TypeError in the logger is dropped and counted too', Sequra\Client::droppedLogRecords() === $dropped + 2);

// A failing call still throws its own exception, not the logger's.
$client = sandbox_client(['logger' => $throws]);
try {
    $client->getPaymentMethods('00000000-0000-4000-8000-000000000000');
    echo "no exception\n";
} catch (Sequra\NotFoundException $e) {
    echo 'the call throws its own: ', get_class($e), "\n";
    check('without the logger\'s as previous', $e->getPrevious() === null);
}
check('both records of that call (debug, error) dropped', Sequra\Client::droppedLogRecords() === $dropped + 4);

// A logger that logs through a client of its own would recurse: the
// records of its client are dropped instead.
$inner = sandbox_client();
$seen = [];
$reentrant = new class ($seen) {
    public function __construct(private array &$seen) {}
    public function log($level, $message, array $context = []): void
    {
        $this->seen[] = $message;
        global $client;
        $client->getMerchantPaymentMethods();
    }
};
$client = sandbox_client(['logger' => $reentrant]);
$client->getMerchantPaymentMethods();
check('a logger calling its own client runs once per record, no recursion', count($seen) === 1, json_encode($seen));
check('the nested call\'s record is dropped and counted', Sequra\Client::droppedLogRecords() === $dropped + 5);

// A destructor that throws as what the logger threw or returned is freed
// is the logger's too: the call still returns its answer.
class ThrowsWhenFreed
{
    public function __destruct()
    {
        throw new RuntimeException('from a destructor');
    }
}
class Holding extends RuntimeException
{
    public ?ThrowsWhenFreed $held = null;
}
$holding = function (string $level, string $message, array $context) {
    $e = new Holding('the log disk is full');
    $e->held = new ThrowsWhenFreed();
    throw $e;
};
$uri = sandbox_client(['logger' => $holding])->startSolicitation(small_order());
check('a throwing destructor of the logger\'s exception does not break the call', str_contains($uri, '/orders/'));
$uri = sandbox_client(['logger' => fn () => new ThrowsWhenFreed()])->startSolicitation(small_order());
check('nor one of what the logger returned', str_contains($uri, '/orders/'));

// And the script goes on normally.
try {
    throw new LogicException('still catchable');
} catch (LogicException $e) {
    echo 'exceptions still work: ', $e->getMessage(), "\n";
}
?>
--EXPECT--
the count starts as an int: ok
the call returns its answer: ok
the logger was called: ok
its record is counted as dropped: ok
no exception is left pending: ok
a TypeError in the logger is dropped and counted too: ok
the call throws its own: Sequra\NotFoundException
without the logger's as previous: ok
both records of that call (debug, error) dropped: ok
a logger calling its own client runs once per record, no recursion: ok
the nested call's record is dropped and counted: ok
a throwing destructor of the logger's exception does not break the call: ok
nor one of what the logger returned: ok
exceptions still work: still catchable
