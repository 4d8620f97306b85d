--TEST--
When nothing listens at the endpoint, each call is a Sequra\TransportException within the configured timeout
--FILE--
<?php
require __DIR__ . '/sequra.inc';

$client = new Sequra\Client(['endpoint' => 'http://127.0.0.1:' . closed_port(), 'merchant' => 'demo',
                             'username' => 'demo', 'password' => 'x', 'timeout' => 2]);
$started = microtime(true);
foreach (['startSolicitation' => fn () => $client->startSolicitation(small_order()),
          'getIdentificationForm' => fn () => $client->getIdentificationForm('00000000-0000-4000-8000-000000000000'),
          'confirm' => fn () => $client->confirm('00000000-0000-4000-8000-000000000000', small_order())] as $call => $f) {
    try {
        $f();
        echo "$call: answered\n";
    } catch (Sequra\TransportException $e) {
        echo "$call: ", $e->getKind(), ' status=', json_encode($e->getHttpStatus()), "\n";
    }
}
$elapsed = microtime(true) - $started;
check('within the timeout', $elapsed < 5, sprintf('%.1f s', $elapsed));
try {
    $client->startSolicitation(small_order());
} catch (Sequra\TransportException $e) {
    check('a refused connection sent nothing', !$e->mayHaveActed());
    check('the message names the endpoint', str_contains($e->getMessage(), 'http://127.0.0.1:'), $e->getMessage());
}
?>
--EXPECT--
startSolicitation: transport status=null
getIdentificationForm: transport status=null
confirm: transport status=null
within the timeout: ok
a refused connection sent nothing: ok
the message names the endpoint: ok
