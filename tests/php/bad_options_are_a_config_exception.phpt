--TEST--
Bad client options are a Sequra\ConfigException that names the option and never the password
--FILE--
<?php
require __DIR__ . '/sequra.inc';

$good = ['endpoint' => 'sandbox', 'merchant' => 'demo', 'username' => 'demo', 'password' => 'p4ss-w0rd-XYZ'];
$cases = [
    'unknown key' => $good + ['pasword' => 'p4ss-w0rd-XYZ'],
    'missing password' => array_diff_key($good, ['password' => 0]),
    'bad endpoint' => ['endpoint' => 'production'] + $good,
    'negative timeout' => $good + ['timeout' => -1],
    'NAN timeout' => $good + ['timeout' => NAN],
    'password not a string' => ['password' => 1234] + $good,
    'plain http to a remote host' => ['endpoint' => 'http://sandbox.sequrapi.com'] + $good,
    'a space before the scheme' => ['endpoint' => ' https://sandbox.sequrapi.com'] + $good,
    'another scheme' => ['endpoint' => 'ftp://sandbox.sequrapi.com'] + $good,
    'a list' => ['sandbox', 'demo', 'demo', 'p4ss-w0rd-XYZ'],
    'no option at all' => [],
    'a merchant of 5 MB' => ['merchant' => str_repeat('m', 5_000_000)] + $good,
    'an empty user agent' => $good + ['user_agent' => ''],
    'a user agent not in ASCII' => $good + ['user_agent' => 'tienda-españa/1.0'],
    'a user agent with an open comment' => $good + ['user_agent' => 'shop (unclosed'],
    'thirty options JSON cannot carry' => $good + array_fill_keys(array_map(fn ($i) => "x$i", range(1, 30)), NAN),
];
foreach ($cases as $case => $options) {
    try {
        new Sequra\Client($options);
        echo "$case: no exception\n";
    } catch (Sequra\ConfigException $e) {
        echo "$case: ", $e->getKind(), ' | ', $e->getMessage(), "\n";
        if (str_contains(print_r($e, true), 'p4ss-w0rd-XYZ') || str_contains((string) $e, 'p4ss-w0rd-XYZ')) {
            echo "  the password leaked\n";
        }
        if ($e->getHttpStatus() !== null || $e->mayHaveActed() || $e->getCode() !== 0) {
            echo "  wrong details\n";
        }
    }
}

try {
    $line = __LINE__ + 1;
    new Sequra\Client(['password' => 'p4ss-w0rd-XYZ']);
} catch (Sequra\Exception $e) {
    // The options array is a #[\SensitiveParameter] (8.1: see
    // trace_hides_the_secret): traces never show it.
    check('a Sequra\Exception and a RuntimeException', $e instanceof RuntimeException);
    check('file and line are the caller\'s', $e->getFile() === __FILE__ && $e->getLine() === $line);
    check('the trace hides the options', trace_hides_the_secret($e));
}

$client = new Sequra\Client($good + ['connect_timeout' => 0.5, 'timeout' => 1.5, 'user_agent' => 'phpt/1']);
check('a good client knows its merchant', $client->getMerchant() === 'demo');
// A URL's scheme and host are in any case (RFC 3986, 3.1 and 3.2.2), as
// the other clients take them.
foreach (['HTTPS://SANDBOX.SEQURAPI.COM', 'Https://sandbox.sequrapi.com/'] as $endpoint) {
    new Sequra\Client(['endpoint' => $endpoint] + $good);
    new Sequra\PosClient(['endpoint' => $endpoint] + $good);
    echo "$endpoint: taken\n";
}
?>
--EXPECTF--
unknown key: config | configuration: unknown option "pasword"; the options are endpoint, merchant, username, password, connect_timeout, timeout, ca_file, user_agent, proxy, persistent, log_bodies, contract, flow, allow_unknown_keys, logger
missing password: config | configuration: option password is required
bad endpoint: config | configuration: endpoint "production" is not "sandbox", "live" or an http(s):// URL
negative timeout: config | configuration: option timeout is -1; use a number of seconds from 0.001 to 600
NAN timeout: config | configuration: option timeout: is NaN, which JSON cannot carry; send a finite number
password not a string: config | configuration: option password must be a string
plain http to a remote host: config | configuration: endpoint "http://sandbox.sequrapi.com" is plain http to a remote host; use https (plain http is allowed only to loopback, for tests)
a space before the scheme: config | configuration: endpoint " https://sandbox.sequrapi.com" has a space or a control character; write the URL percent-encoded
another scheme: config | configuration: endpoint "ftp://sandbox.sequrapi.com" is not an http(s) URL
a list: config | configuration: the options must be an array of 'option' => value, not a list of values
no option at all: config | configuration: option endpoint is required
a merchant of 5 MB: config | configuration: the options array is larger than this library takes: it has more than 4194304 bytes of text in its strings and keys; nothing of it was checked (a bound against runaway input)
an empty user agent: config | configuration: user_agent "" is empty; give the shop's products, e.g. "woocommerce-sequra/3.1 PHP/8.2 (WordPress 6.5)", or leave it out
a user agent not in ASCII: config | configuration: user_agent "tienda-españa/1.0 PHP/%s" has a character 'ñ' at byte 11: a header is ASCII; give the shop's products, e.g. "woocommerce-sequra/3.1 PHP/8.2 (WordPress 6.5)", or leave it out
a user agent with an open comment: config | configuration: user_agent "shop (unclosed PHP/%s" has a comment '(' that is not closed; give the shop's products, e.g. "woocommerce-sequra/3.1 PHP/8.2 (WordPress 6.5)", or leave it out
thirty options JSON cannot carry: config | configuration: option x1: is NaN, which JSON cannot carry; send a finite number; option x2: is NaN, which JSON cannot carry; send a finite number; option x3: is NaN, which JSON cannot carry; send a finite number; option x4: is NaN, which JSON cannot carry; send a finite number; option x5: is NaN, which JSON cannot carry; send a finite number; option x6: is NaN, which JSON cannot carry; send a finite number; option x7: is NaN, which JSON cannot carry; send a finite number; option x8: is NaN, which JSON cannot carry; send a finite number; option x9: is NaN, which JSON cannot carry; send a finite number; option x10: is NaN, which JSON cannot carry; send a finite number; and 20 more
a Sequra\Exception and a RuntimeException: ok
file and line are the caller's: ok
the trace hides the options: ok
a good client knows its merchant: ok
HTTPS://SANDBOX.SEQURAPI.COM: taken
Https://sandbox.sequrapi.com/: taken
