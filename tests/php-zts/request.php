<?php
// One request of tests/php-zts/threads.c, on one of its threads, at the same
// time as the others: the secret parameters' marks read by reflection, a
// checkout through a pooled client whose logger is a closure of this
// request, and a refused call, as tests/php does them. The
// harness's php.ini sets sequra.persistent=0, so only the client that asks
// for the pool gets it. Exits 1, saying why, at the first thing wrong.
require __DIR__ . '/../php/sequra.inc';

function must(string $what, bool $ok, string $detail = ''): void
{
    if (!$ok) {
        file_put_contents('php://stderr', "a request failed: $what" . ($detail === '' ? '' : " ($detail)") . "\n");
        exit(1);
    }
}

must('this thread sees the setting of php.ini', ini_get('sequra.persistent') === '0', var_export(ini_get('sequra.persistent'), true));

// As a framework's container reads attributes, every thread at once: PHP
// counts references on the mark's name at each read unless it is interned,
// with no lock between threads (a name that was not corrupted the heap).
$mark = (new ReflectionParameter([Sequra\Client::class, '__construct'], 'options'))->getAttributes()[0];
for ($i = 0; $i < 100000; $i++) {
    $name = $mark->getName();
}
must('the secret parameter is marked', $name === SensitiveParameter::class, $name);

$records = [];
$logger = function (string $level, string $message, array $context) use (&$records): void {
    $records[] = $message;
};
$client = sandbox_client(['persistent' => true, 'user_agent' => 'threads', 'logger' => $logger]);
$order = small_order();
$uri = $client->startSolicitation($order);
must('the order is started', str_starts_with($uri, sandbox_url() . '/orders/'), $uri);
must('the form is served', str_contains($client->getIdentificationForm($uri), 'sq-identification'));
approve($uri);
$client->confirm($uri, $order);
must('the order is confirmed', inspect($uri)['state'] === 'confirmed');
must("this request's logger got each exchange", count($records) === 3, json_encode($records));

try {
    sandbox_client(['password' => 'not-the-password'])->startSolicitation(small_order());
    must('a wrong password is refused', false);
} catch (Sequra\AuthenticationException $e) {
    must('the refusal never shows the password', !str_contains((string) $e, 'not-the-password'));
}
