--TEST--
A wrong password is a Sequra\AuthenticationException whose message never holds the password
--FILE--
<?php
require __DIR__ . '/sequra.inc';

$client = sandbox_client(['password' => 'not-the-password-42']);
try {
    $client->startSolicitation(small_order());
    echo "no exception\n";
} catch (Sequra\AuthenticationException $e) {
    echo get_class($e), ': ', $e->getKind(), ' ', $e->getHttpStatus(), ' ', $e->getCode(), "\n";
    check('seQura did not act', !$e->mayHaveActed());
    check('the message quotes the server', str_contains($e->getMessage(), 'HTTP Basic: Access denied') && !str_contains($e->getMessage(), 'denied.'), $e->getMessage());
    check('the message says what to do', str_contains($e->getMessage(), 'check the credentials (username and password'));
    check('no password anywhere', !str_contains(print_r($e, true) . $e, 'not-the-password-42'));
}
?>
--EXPECT--
Sequra\AuthenticationException: authentication 401 401
seQura did not act: ok
the message quotes the server: ok
the message says what to do: ok
no password anywhere: ok
