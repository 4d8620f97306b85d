<?php
// The shop's configuration: where its data lives, its own URL, its
// notification secret, the seQura settings (the settings page saves them),
// and the seQura client built from them.
//
// Environment:
//   SHOP_DATA_DIR       directory of the shop's JSON files (required)
//   SHOP_URL            the shop's base URL as seQura and browsers reach it
//                       (default: the address the built-in server listens on)
//   SEQURA_SANDBOX_URL  the seQura endpoint until the settings page saves one
//                       (default "sandbox", seQura's own sandbox)
//   SEQURA_CA_FILE      a PEM file of CA certificates to trust instead of
//                       the built-in ones (optional)

declare(strict_types=1);

function data_dir(): string
{
    $dir = (string) getenv('SHOP_DATA_DIR');
    if ($dir === '') {
        throw new RuntimeException('SHOP_DATA_DIR is not set: point it at a writable directory');
    }
    if (!is_dir($dir) && !mkdir($dir, 0700, true) && !is_dir($dir)) {
        throw new RuntimeException("cannot create SHOP_DATA_DIR $dir");
    }
    return $dir;
}

/** The shop's base URL, without a trailing slash. */
function shop_url(): string
{
    // Not the Host header: anyone can send one, and these URLs go to seQura.
    $url = (string) getenv('SHOP_URL');
    return rtrim($url !== '' ? $url : "http://{$_SERVER['SERVER_NAME']}:{$_SERVER['SERVER_PORT']}", '/');
}

/**
 * The key of the shop's signatures (notification parameters, admin forms):
 * 32 random bytes made on first use, as a plugin makes it when installed.
 */
function shop_secret(): string
{
    $file = data_dir() . '/secret';
    if (!is_file($file)) {
        // "x" fails if another request made it first; then read theirs.
        $handle = @fopen($file, 'x');
        if ($handle !== false) {
            chmod($file, 0600);
            fwrite($handle, bin2hex(random_bytes(32)));
            fclose($handle);
        }
    }
    $secret = (string) file_get_contents($file);
    if (strlen($secret) < 32) {
        throw new RuntimeException("$file is damaged: delete it to make a new secret");
    }
    return $secret;
}

/** The seQura settings: saved by the settings page, else the defaults. */
function sequra_settings(): array
{
    $saved = json_decode((string) @file_get_contents(data_dir() . '/settings.json'), true);
    return (is_array($saved) ? $saved : []) + [
        'endpoint' => getenv('SEQURA_SANDBOX_URL') ?: 'sandbox',
        // The bundled sandbox's merchant; a real shop starts with none.
        'merchant' => 'demo',
        'username' => 'demo',
        'password' => 'demo-password',
    ];
}

function save_sequra_settings(#[\SensitiveParameter] array $settings): void
{
    $file = data_dir() . '/settings.json';
    file_put_contents($file, json_encode($settings, JSON_PRETTY_PRINT), LOCK_EX);
    chmod($file, 0600); // it holds the password
}

/**
 * The shop's seQura log: one JSON line per record in SHOP_DATA_DIR/sequra.log
 * (what was sent where, the answer's status and time, retries, failures;
 * never a password nor the customer's data). Any PSR-3 logger would do; this
 * shop has none, so a callable writes the lines.
 */
function sequra_logger(): callable
{
    $file = data_dir() . '/sequra.log';
    return function (string $level, string $message, array $context) use ($file): void {
        $record = ['time' => date(DATE_ATOM), 'level' => $level, 'message' => $message, 'context' => $context];
        $line = json_encode($record, JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE);
        file_put_contents($file, $line . "\n", FILE_APPEND | LOCK_EX);
    };
}

/**
 * A client for $settings (by default the saved ones). Build it once per
 * request: it keeps the connection pool.
 *
 * @throws Sequra\ConfigException when a setting is unusable (e.g. the endpoint).
 */
function sequra_client(#[\SensitiveParameter] ?array $settings = null): Sequra\Client
{
    $settings ??= sequra_settings();
    $options = [
        'endpoint' => $settings['endpoint'],
        'merchant' => $settings['merchant'],
        'username' => $settings['username'],
        'password' => $settings['password'],
        'timeout' => 10, // seconds for a whole call, its retries included
        'user_agent' => 'example-shop/1.0',
        // Every exchange with seQura, to the shop's log. A platform passes
        // its own PSR-3 logger here (Magento's, PrestaShop's, Monolog...).
        'logger' => sequra_logger(),
    ];
    $caFile = (string) getenv('SEQURA_CA_FILE');
    if ($caFile !== '') {
        $options['ca_file'] = $caFile;
    }
    return new Sequra\Client($options);
}
