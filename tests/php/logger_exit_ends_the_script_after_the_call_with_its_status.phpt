--TEST--
exit() in a logger does not cut a payment call short and is not swallowed: the call finishes, then the script ends as exit() ends it (its status kept, no catch or finally, shutdown functions and destructors run)
--CONFLICTS--
all
--FILE--
<?php
require __DIR__ . '/faults.inc';

// The script as a shop would run it, in a PHP of its own (to see its exit
// status), with this extension.
if (($argv[1] ?? '') === 'shop') {
    $fails = ($argv[2] ?? '') === 'fails';
    $before = requests_reached('POST', '/orders');
    register_shutdown_function(function () use ($before, $fails) {
        echo "shutdown function\n";
        if (!$fails) {
            check('the solicitation was sent once, whole', requests_reached('POST', '/orders') === $before + 1);
        }
        // Its debug record, and for a failed call its error record too.
        check('the records are counted as dropped', Sequra\Client::droppedLogRecords() === ($fails ? 2 : 1));
    });
    $guard = new class {
        public function __destruct() { echo "destructor\n"; }
    };
    $client = sandbox_client(['logger' => function (string $level) {
        echo "logger: $level\n";
        exit(7);
    }] + ($fails ? ['password' => 'wrong'] : []));
    try {
        $fails ? $client->getMerchantPaymentMethods() : $client->startSolicitation(small_order());
        echo "not reached: the code after the call\n";
    } catch (Throwable $e) {
        echo 'not reached: caught ', get_class($e), "\n";
    } finally {
        echo "not reached: finally\n";
    }
    echo "not reached: the end of the script\n";
    return;
}

$extension = null;
foreach (file('/proc/self/maps') ?: [] as $line) {
    if (preg_match('{\s(/\S*libsequra_php\.so)$}', trim($line), $m)) {
        $extension = $m[1];
        break;
    }
}
foreach (['works', 'fails'] as $call) {
    echo "-- a call that $call\n";
    $command = [PHP_BINARY, '-n', '-d', "extension=$extension", __FILE__, 'shop', $call];
    exec(implode(' ', array_map('escapeshellarg', $command)) . ' 2>&1', $output, $status);
    echo implode("\n", $output), "\nexit status $status\n";
    $output = [];
}
?>
--EXPECT--
-- a call that works
logger: debug
shutdown function
the solicitation was sent once, whole: ok
the records are counted as dropped: ok
destructor
exit status 7
-- a call that fails
logger: debug
shutdown function
the records are counted as dropped: ok
destructor
exit status 7
