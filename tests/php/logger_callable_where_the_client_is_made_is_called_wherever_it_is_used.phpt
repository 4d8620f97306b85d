--TEST--
A logger callable where the client is made (a private method of the class that makes it) gets every record wherever the client is used, as a Closure made there would
--FILE--
<?php
require __DIR__ . '/logger.inc';

/** The sandbox client's options: the client itself is made in each class. */
function options(array $logger): array
{
    return $logger + [
        'endpoint' => sandbox_url(),
        'ca_file' => sandbox_ca_file(),
        'merchant' => DEMO_MERCHANT,
        'username' => DEMO_USERNAME,
        'password' => DEMO_PASSWORD,
    ];
}

final class Plugin
{
    public ?Sequra\Client $client;
    public array $seen = [];

    public function __construct()
    {
        $this->client = new Sequra\Client(options(['logger' => [$this, 'record']]));
    }

    private function record(string $level, string $message, array $context): void
    {
        $this->seen[] = $level;
    }
}

final class PrivateLog
{
    public int $records = 0;

    public function client(): Sequra\Client
    {
        return new Sequra\Client(options(['logger' => $this]));
    }

    private function log($level, $message, array $context = []): void
    {
        $this->records++;
    }
}

$dropped = Sequra\Client::droppedLogRecords();
$plugin = new Plugin();
$plugin->client->getMerchantPaymentMethods();
check('a private method of the class that made the client gets the record', $plugin->seen === ['debug'], json_encode($plugin->seen));
// The plugin holds its client, whose logger holds the plugin: a cycle PHP's
// collector cannot see through the client (as for any logger that reaches
// its plugin: see a_logger_reaching_its_plugin_through_a_weak_reference...).
$plugin->client = null;
$logger = new PrivateLog();
$logger->client()->getMerchantPaymentMethods();
check('so does a private log() of the logger that made it', $logger->records === 1);
check('no record dropped', Sequra\Client::droppedLogRecords() === $dropped);
try {
    sandbox_client(['logger' => new PrivateLog()]);
    echo "accepted\n";
} catch (Sequra\ConfigException $e) {
    check('outside that class, a private log() is not callable', str_contains($e->getMessage(), 'without a public log() method'));
}
?>
--EXPECT--
a private method of the class that made the client gets the record: ok
so does a private log() of the logger that made it: ok
no record dropped: ok
outside that class, a private log() is not callable: ok
