--TEST--
A logger that suspends its fiber mid-record (an async logger) leaves logging on for the rest of the script: only a record from inside that fiber's own logger would recurse and is dropped
--FILE--
<?php
require __DIR__ . '/logger.inc';

$seen = [];
$suspends = function (string $level, string $message, array $context) use (&$seen) {
    $seen[] = (Fiber::getCurrent() ? 'fiber: ' : 'script: ') . strtok($message, ' ');
    if (Fiber::getCurrent() !== null) {
        Fiber::suspend();
    }
};
$client = sandbox_client(['logger' => $suspends]);
$fiber = new Fiber(fn () => $client->getMerchantPaymentMethods());
$fiber->start();
check('the fiber is suspended inside its logger', $fiber->isSuspended() && $seen === ['fiber: GET']);

$dropped = Sequra\Client::droppedLogRecords();
$client->getMerchantPaymentMethods();
sandbox_client(['logger' => $suspends])->getMerchantPaymentMethods();
check('the script\'s calls are logged meanwhile', $seen === ['fiber: GET', 'script: GET', 'script: GET'], json_encode($seen));
check('none of their records is dropped', Sequra\Client::droppedLogRecords() === $dropped);

$fiber->resume();
check('the fiber\'s call ends once resumed', $fiber->isTerminated() && is_array($fiber->getReturn()));
$client->getMerchantPaymentMethods();
check('and logging goes on', count($seen) === 4);
?>
--EXPECT--
the fiber is suspended inside its logger: ok
the script's calls are logged meanwhile: ok
none of their records is dropped: ok
the fiber's call ends once resumed: ok
and logging goes on: ok
