<?php
// Run by tests/php-zts/threads.c on its main thread once every thread has
// ended: the clients of all the threads' requests that asked for the pool
// (the same options) shared one endpoint's agent, and those that did not
// (sequra.persistent=0 in php.ini, as each thread saw it) left nothing in
// it; no log record was lost; the name of the secret parameters' marks,
// which every thread read at once, is PHP's interned one, on which no
// thread counted references. Exits 1, saying why, otherwise.
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
$problems = [];
preg_match('{^pooled endpoints => 1$}m', $info) or $problems[] = 'not exactly one pooled endpoint';
preg_match('{^pooled connections => [1-4]$}m', $info) or $problems[] = 'not 1 to 4 pooled connections';
preg_match('{^dropped log records => 0$}m', $info) or $problems[] = 'log records were dropped';
$mark = (new ReflectionParameter([Sequra\Client::class, '__construct'], 'options'))->getAttributes()[0];
ob_start();
debug_zval_dump($mark->getName());
$dump = trim(ob_get_clean());
str_ends_with($dump, ' interned') or $problems[] = "the mark's name is not interned: $dump";
if ($problems) {
    preg_match('{^sequra\n.*?(?=\n\n[A-Za-z][\w ]*\n\n|\z)}ms', $info, $section);
    file_put_contents('php://stderr', implode('; ', $problems) . ":\n" . ($section[0] ?? $info) . "\n");
    exit(1);
}
