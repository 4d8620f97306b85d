<?php
// The few W3C WebDriver commands the browser test needs, over plain HTTP
// (https://www.w3.org/TR/webdriver2/), with PHP's own streams: no packages.

declare(strict_types=1);

/** A step of the test failed: what was expected, and what the page showed. */
final class StepFailed extends RuntimeException
{
}

final class Browser
{
    /** The key of an element reference in WebDriver answers. */
    private const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

    private string $session;

    /** Opens a session of $binary with $args through the driver at $driver. */
    public function __construct(private string $driver, string $binary, array $args)
    {
        $answer = $this->send('POST', '/session', ['capabilities' => ['alwaysMatch' => [
            'browserName' => 'chrome',
            'goog:chromeOptions' => ['binary' => $binary, 'args' => $args],
        ]]]);
        $this->session = $answer['sessionId'];
    }

    public function quit(): void
    {
        $this->send('DELETE', "/session/{$this->session}");
    }

    public function open(string $url): void
    {
        $this->command('POST', '/url', ['url' => $url]);
    }

    public function url(): string
    {
        return $this->command('GET', '/url');
    }

    /** What the page shows, as the shopper reads it. */
    public function text(): string
    {
        return (string) $this->command('POST', '/execute/sync', ['script' => 'return document.body ? document.body.innerText : ""', 'args' => []]);
    }

    /** Waits (up to $seconds) until the page shows $expected; StepFailed otherwise. */
    public function waitForText(string $expected, float $seconds = 10): string
    {
        $deadline = microtime(true) + $seconds;
        do {
            $text = $this->text();
            if (str_contains($text, $expected)) {
                return $text;
            }
            usleep(100_000);
        } while (microtime(true) < $deadline);
        throw new StepFailed("the page does not show \"$expected\" after {$seconds} s");
    }

    public function click(string $css): void
    {
        $this->command('POST', "/element/{$this->find($css)}/click", new stdClass());
    }

    /** Replaces the value of the input $css with $text. */
    public function type(string $css, string $text): void
    {
        $element = $this->find($css);
        $this->command('POST', "/element/$element/clear", new stdClass());
        $this->command('POST', "/element/$element/value", ['text' => $text]);
    }

    public function attribute(string $css, string $name): ?string
    {
        return $this->command('GET', "/element/{$this->find($css)}/attribute/$name");
    }

    public function screenshot(string $file): void
    {
        file_put_contents($file, base64_decode($this->command('GET', '/screenshot'), true));
    }

    private function find(string $css): string
    {
        try {
            return $this->command('POST', '/element', ['using' => 'css selector', 'value' => $css])[self::ELEMENT];
        } catch (RuntimeException $e) {
            throw new StepFailed("no element $css on the page ({$e->getMessage()})");
        }
    }

    private function command(string $method, string $path, array|stdClass|null $body = null): mixed
    {
        return $this->send($method, "/session/{$this->session}$path", $body);
    }

    /** One WebDriver call: the answer's value, or its error as a RuntimeException. */
    private function send(string $method, string $path, array|stdClass|null $body = null): mixed
    {
        $context = stream_context_create(['http' => [
            'method' => $method,
            'header' => "Content-Type: application/json\r\n",
            'content' => $body === null ? '' : json_encode($body, JSON_THROW_ON_ERROR),
            'ignore_errors' => true,
            'timeout' => 60,
        ]]);
        $stream = @fopen($this->driver . $path, 'r', false, $context);
        if ($stream === false) {
            throw new RuntimeException("WebDriver $method $path: no answer from {$this->driver}");
        }
        // chromedriver keeps the connection open: read Content-Length bytes,
        // not up to the end of the stream.
        $length = null;
        foreach (stream_get_meta_data($stream)['wrapper_data'] as $header) {
            if (preg_match('/^content-length:\s*(\d+)/i', $header, $m)) {
                $length = (int) $m[1];
            }
        }
        $answer = (string) stream_get_contents($stream, $length);
        fclose($stream);
        $json = json_decode($answer, true);
        $value = $json['value'] ?? null;
        if (!is_array($json) || (is_array($value) && isset($value['error']))) {
            $why = is_array($value) ? "{$value['error']}: " . strtok((string) ($value['message'] ?? ''), "\n")
                : substr($answer, 0, 200);
            throw new RuntimeException("WebDriver $method $path: $why");
        }
        return $value;
    }
}
