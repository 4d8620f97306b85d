--TEST--
A call made while another waits in its logger (a fiber suspended there, or a logger that itself calls the library) is bounded by its own client's timeout, not by the waiting call's
--CONFLICTS--
all
--FILE--
<?php
require __DIR__ . '/logger.inc';
require __DIR__ . '/faults.inc';

// Under valgrind (USE_ZEND_ALLOC=0) a call alone can take a second: every
// time here is five times longer there.
$slow = getenv('USE_ZEND_ALLOC') === '0' ? 5 : 1;

// A logger that suspends its fiber, on a client with a short timeout.
$suspends = function (string $level, string $message, array $context) {
    if (Fiber::getCurrent() !== null) {
        Fiber::suspend();
    }
};
$short = sandbox_client(['logger' => $suspends, 'timeout' => $slow]);
$fiber = new Fiber(fn () => $short->getMerchantPaymentMethods());
$fiber->start();
check('the short call waits in its logger', $fiber->isSuspended());
usleep($slow * 1_300_000); // past the short call's deadline
$other = sandbox_client(['timeout' => 10 * $slow]);
try {
    $other->getMerchantPaymentMethods();
    check('a call of another client meanwhile has its own timeout', true);
} catch (Sequra\Exception $e) {
    check('a call of another client meanwhile has its own timeout', false, $e->getMessage());
}
$fiber->resume();
check('the short call ends once resumed', $fiber->isTerminated());
$other->getMerchantPaymentMethods();
check('and later calls are as before', true);

// A logger that calls the library from the record of a slow call: the
// call it makes has its own client's timeout, not what is left of the
// slow call's.
$nested = null;
$calls = function (string $level, string $message, array $context) use (&$nested, $other, $slow) {
    if ($nested === null && $level === 'debug') {
        $nested = 'called';
        queue_fault(['method' => 'GET', 'path' => '/merchants/demo/payment_methods', 'fault' => 'delay', 'ms' => 1200 * $slow]);
        $other->getMerchantPaymentMethods();
        $nested = 'answered';
    }
};
queue_fault(['method' => 'GET', 'path' => '/merchants/demo/payment_methods', 'fault' => 'delay', 'ms' => 1500 * $slow]);
sandbox_client(['logger' => $calls, 'timeout' => 2 * $slow])->getMerchantPaymentMethods();
check('a call from the logger had its own timeout', $nested === 'answered', (string) $nested);
?>
--EXPECT--
the short call waits in its logger: ok
a call of another client meanwhile has its own timeout: ok
the short call ends once resumed: ok
and later calls are as before: ok
a call from the logger had its own timeout: ok
