--TEST--
A plugin whose client logs to it through a WeakReference (the README's advice for CLI workers) is freed as soon as it is dropped, client and connection with it; one that is its client's logger lives until the request ends, as documented
--FILE--
<?php
require __DIR__ . '/sequra.inc';

class Plugin
{
    public Sequra\Client $client;
    public array $records = [];

    public function __construct(array $options, bool $weak, public string $name)
    {
        if ($weak) {
            $plugin = WeakReference::create($this);
            $logger = static fn ($level, $message, $context) => $plugin->get()?->log($level, $message, $context);
        } else {
            $logger = $this;
        }
        $this->client = new Sequra\Client($options + ['logger' => $logger, 'persistent' => false]);
    }

    public function log($level, $message, $context): void
    {
        $this->records[] = $message;
    }

    public function __destruct()
    {
        echo "{$this->name} freed\n";
    }
}

$options = [
    'endpoint' => sandbox_url(),
    'ca_file' => sandbox_ca_file(),
    'merchant' => DEMO_MERCHANT,
    'username' => DEMO_USERNAME,
    'password' => DEMO_PASSWORD,
];
$weak = new Plugin($options, true, 'the plugin with a weak reference');
$weak->client->checkCredentials();
echo 'it logged: ', count($weak->records) > 0 ? 'yes' : 'no', "\n";
unset($weak);
echo "after unset and before the collector\n";

$strong = new Plugin($options, false, 'the plugin that is its logger');
$strong->client->checkCredentials();
$kept = WeakReference::create($strong);
unset($strong);
gc_collect_cycles();
echo 'after unset and the collector, it is ', $kept->get() === null ? 'freed' : 'kept', "\n";
// Broken by hand, the cycle frees both (else they would live until the
// request ends, and show as a leak under valgrind).
unset($kept->get()->client);
echo "end\n";
?>
--EXPECT--
it logged: yes
the plugin with a weak reference freed
after unset and before the collector
after unset and the collector, it is kept
the plugin that is its logger freed
end
