--TEST--
phpinfo() (and php -d sequra.persistent=0 -i) shows the pooled connections this process holds, the dropped log records and the sequra.persistent setting
--INI--
sequra.persistent=0
--FILE--
<?php
require __DIR__ . '/sequra.inc';

function sequra_info(): string
{
    ob_start();
    phpinfo(INFO_MODULES);
    $info = ob_get_clean();
    // The sequra section: from its title to the next module's.
    preg_match('{^sequra\n.*?(?=\n\n[a-z][\w ]*\n\n|\z)}ms', $info, $section);
    return $section[0] ?? $info;
}

$info = sequra_info();
check('the setting shows Off', (bool) preg_match('{^sequra\.persistent => Off => Off$}m', $info), $info);
check('no pooled connection yet', (bool) preg_match('{^pooled connections => 0$}m', $info), $info);
check('no dropped log record yet', (bool) preg_match('{^dropped log records => 0$}m', $info), $info);

// A pooled client (the option wins over the setting) and a throwing logger.
$client = sandbox_client(['persistent' => true, 'logger' => function () { throw new Exception('no'); }]);
$client->getMerchantPaymentMethods();
$info = sequra_info();
check('the pooled connection shows', (bool) preg_match('{^pooled connections => 1$}m', $info), $info);
check('its endpoint too', (bool) preg_match('{^pooled endpoints => 1$}m', $info), $info);
check('the dropped record shows', (bool) preg_match('{^dropped log records => 1$}m', $info), $info);

// The same as `php -i` shows it, in a PHP of its own.
$extension = null;
foreach (file('/proc/self/maps') ?: [] as $line) {
    if (preg_match('{\s(/\S*libsequra_php\.so)$}', trim($line), $m)) {
        $extension = $m[1];
        break;
    }
}
$command = [PHP_BINARY, '-n', '-d', "extension=$extension", '-d', 'sequra.persistent=0', '-i'];
$output = shell_exec(implode(' ', array_map('escapeshellarg', $command)));
check('php -d sequra.persistent=0 -i shows it Off', (bool) preg_match('{^sequra\.persistent => Off => Off$}m', (string) $output));
$command = [PHP_BINARY, '-n', '-d', "extension=$extension", '-i'];
$output = shell_exec(implode(' ', array_map('escapeshellarg', $command)));
check('php -i shows it On by default', (bool) preg_match('{^sequra\.persistent => On => On$}m', (string) $output));
?>
--EXPECT--
the setting shows Off: ok
no pooled connection yet: ok
no dropped log record yet: ok
the pooled connection shows: ok
its endpoint too: ok
the dropped record shows: ok
php -d sequra.persistent=0 -i shows it Off: ok
php -i shows it On by default: ok
