--TEST--
A logger that exhausts memory_limit does not cut a payment call short and is not swallowed: the call finishes, then the script ends as PHP ends it at a fatal error (status 255, shutdown functions run, nothing after the call)
--CONFLICTS--
all
--FILE--
<?php
require __DIR__ . '/faults.inc';

// The script as a shop would run it, in a PHP of its own (to see its exit
// status) with a memory_limit of 32M, with this extension.
if (($argv[1] ?? '') === 'shop') {
    $before = requests_reached('POST', '/orders');
    register_shutdown_function(function () use ($before) {
        echo "shutdown function\n";
        check('the solicitation was sent once, whole', requests_reached('POST', '/orders') === $before + 1);
        check('the record is counted as dropped', Sequra\Client::droppedLogRecords() === 1);
    });
    $client = sandbox_client(['logger' => function (string $level) {
        echo "logger: $level\n";
        $big = str_repeat('x', 64 << 20);
        echo "not reached: the logger goes on\n";
    }]);
    try {
        $client->startSolicitation(small_order());
        echo "not reached: the code after the call\n";
    } catch (Throwable $e) {
        echo 'not reached: caught ', get_class($e), "\n";
    }
    $client->getMerchantPaymentMethods();
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
// PHP enforces memory_limit only with its own allocator (not under
// run-tests -m, which sets USE_ZEND_ALLOC=0 for valgrind).
putenv('USE_ZEND_ALLOC');
// fatal_error_backtraces: PHP 8.5 prints a trace under a fatal error by
// default (earlier PHPs ignore the setting).
$command = [PHP_BINARY, '-n', '-d', "extension=$extension", '-d', 'memory_limit=32M', '-d', 'display_errors=1',
    '-d', 'fatal_error_backtraces=0', __FILE__, 'shop'];
exec(implode(' ', array_map('escapeshellarg', $command)) . ' 2>&1', $output, $status);
echo implode("\n", $output), "\nexit status $status\n";
?>
--EXPECTF--
logger: debug

Fatal error: Allowed memory size of 33554432 bytes exhausted (tried to allocate %d bytes) in %s on line %d
shutdown function
the solicitation was sent once, whole: ok
the record is counted as dropped: ok
exit status 255
