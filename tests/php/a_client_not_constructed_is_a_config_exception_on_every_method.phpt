--TEST--
A client whose constructor never ran (ReflectionClass::newInstanceWithoutConstructor(), or a subclass that does not call parent::__construct()) is a Sequra\ConfigException saying so on every instance method, of every client class; a subclass that calls it works, and static methods need no object
--FILE--
<?php
require __DIR__ . '/sequra.inc';

$options = ['endpoint' => 'http://127.0.0.1:' . closed_port(), 'merchant' => 'demo', 'username' => 'demo', 'password' => 'x'];
foreach (['Client', 'PosClient', 'PayseraClient', 'CheckoutComClient'] as $name) {
    $class = new ReflectionClass("Sequra\\$name");
    $raw = $class->newInstanceWithoutConstructor();
    $messages = [];
    foreach ($class->getMethods() as $method) {
        if ($method->isStatic() || $method->isConstructor()) {
            continue;
        }
        // Any arguments: the object is checked first.
        $arguments = array_fill(0, $method->getNumberOfRequiredParameters(), []);
        try {
            $method->invokeArgs($raw, $arguments);
            $messages[] = $method->getName() . ' ran';
        } catch (Sequra\ConfigException $e) {
            $messages[$e->getMessage()][] = $method->getName();
        } catch (Throwable $e) {
            $messages[] = $method->getName() . ': ' . get_class($e) . ': ' . $e->getMessage();
        }
    }
    foreach ($messages as $message => $methods) {
        echo is_int($message) ? $methods : "$message: " . count($methods) . ' methods', "\n";
    }
}

class Shop extends Sequra\Client
{
    public function __construct(public string $name)
    {
    }
}
try {
    (new Shop('mine'))->getMerchant();
} catch (Sequra\ConfigException $e) {
    echo $e->getMessage(), "\n";
}

// An anonymous class's name stops where PHP's own messages stop it.
try {
    (new class () extends Sequra\PosClient {
        public function __construct()
        {
        }
    })->getMerchant();
} catch (Sequra\ConfigException $e) {
    echo json_encode($e->getMessage()), "\n";
}

class GoodShop extends Sequra\Client
{
    public function __construct(array $options)
    {
        parent::__construct($options);
    }
}
echo 'a subclass that constructs its parent: ', (new GoodShop($options))->getMerchant(), "\n";
echo 'static methods: ', Sequra\PayseraClient::validatePaymentRequest([]) !== [] ? 'run' : 'FAILED', "\n";
?>
--EXPECT--
configuration: this Sequra\Client was not constructed: make it with new Sequra\Client($options) (an object made without its constructor cannot be used): 12 methods
configuration: this Sequra\PosClient was not constructed: make it with new Sequra\PosClient($options) (an object made without its constructor cannot be used): 6 methods
configuration: this Sequra\PayseraClient was not constructed: make it with new Sequra\PayseraClient($options) (an object made without its constructor cannot be used): 8 methods
configuration: this Sequra\CheckoutComClient was not constructed: make it with new Sequra\CheckoutComClient($options) (an object made without its constructor cannot be used): 5 methods
configuration: this Shop was not constructed as a Sequra\Client: its constructor must call parent::__construct($options)
"configuration: this Sequra\\PosClient@anonymous was not constructed as a Sequra\\PosClient: its constructor must call parent::__construct($options)"
a subclass that constructs its parent: demo
static methods: run
