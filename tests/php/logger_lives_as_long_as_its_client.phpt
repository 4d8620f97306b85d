--TEST--
The client holds its logger: a logger nothing else refers to still logs after the options array is gone, and is freed with the client
--FILE--
<?php
require __DIR__ . '/sequra.inc';

final class Dying
{
    public int $records = 0;
    public function log($level, $message, array $context = []): void
    {
        $this->records++;
        echo "logged: $level\n";
    }
    public function __destruct()
    {
        echo "logger freed after {$this->records} record(s)\n";
    }
}

function client_with_its_own_logger(): Sequra\Client
{
    $options = ['logger' => new Dying()];
    return sandbox_client($options);
}

$client = client_with_its_own_logger();
gc_collect_cycles();
$client->getMerchantPaymentMethods();
echo "unsetting the client\n";
unset($client);
echo "done\n";
?>
--EXPECT--
logged: debug
unsetting the client
logger freed after 1 record(s)
done
