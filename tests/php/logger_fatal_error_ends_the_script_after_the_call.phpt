--TEST--
A fatal error in a logger (E_USER_ERROR) does not cut a payment call short: the call finishes, then the script ends as PHP ends it at a fatal error
--CONFLICTS--
all
--SKIPIF--
<?php
// A fatal error abandons the logger's PHP frame and the references it held
// to its arguments: PHP's memory manager frees them when the request ends,
// but under valgrind (USE_ZEND_ALLOC=0) they show as lost, as they do for
// any fatal error inside a function in plain PHP. (Run by hand under
// valgrind without leak checks, it shows no memory error.)
if (getenv('USE_ZEND_ALLOC') === '0') die('skip a fatal error leaks PHP\'s own frames under valgrind');
?>
--INI--
; PHP 8.4 deprecates E_USER_ERROR in trigger_error (it still ends the script).
error_reporting=E_ALL & ~E_DEPRECATED
--FILE--
<?php
require __DIR__ . '/faults.inc';

$before = requests_reached('POST', '/orders');
register_shutdown_function(function () use ($before) {
    echo "\n";
    check('the solicitation was sent once, whole', requests_reached('POST', '/orders') === $before + 1);
    check('the record is counted as dropped', Sequra\Client::droppedLogRecords() === 1);
});
$client = sandbox_client(['logger' => function (string $level, string $message) {
    echo "logger: $level\n";
    trigger_error('the logger failed', E_USER_ERROR);
}]);
$client->startSolicitation(small_order());
echo "not reached\n";
?>
--EXPECTF--
logger: debug

Fatal error: the logger failed in %s on line %d

the solicitation was sent once, whole: ok
the record is counted as dropped: ok
