<?php
// Pages: escaping, money, the layout, redirects, the admin forms' token,
// and what a plugin tells an admin when seQura refuses something.

declare(strict_types=1);

/** Every value printed into HTML goes through here. */
function h(string|int|null $text): string
{
    return htmlspecialchars((string) $text, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
}

/** 15993 → "159.93 €". */
function money(int $cents): string
{
    return sprintf('%s%d.%02d €', $cents < 0 ? '-' : '', intdiv(abs($cents), 100), abs($cents) % 100);
}

/** Sends the page: $title is text, $body HTML its maker escaped. */
function page(string $title, string $body, int $status = 200): never
{
    http_response_code($status);
    header('Content-Type: text/html; charset=utf-8');
    $title = h($title);
    echo <<<HTML
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{$title} · Example shop</title>
        <style>
          body { font: 15px/1.4 sans-serif; max-width: 56rem; margin: 1rem auto; padding: 0 1rem; }
          nav a { margin-right: 1rem; } table { border-collapse: collapse; margin: .5rem 0; }
          td, th { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; }
          .ok { background: #e6f4e6; padding: .5rem; } .error { background: #fbe3e3; padding: .5rem; }
          input[type=number] { width: 4rem; }
        </style></head>
        <body><nav><a href="/">Shop</a><a href="/admin/orders">Orders</a><a href="/admin/settings">Settings</a></nav>
        <h1>{$title}</h1>
        {$body}
        </body></html>
        HTML;
    exit;
}

function redirect(string $path): never
{
    header("Location: $path", true, 303);
    exit;
}

function notice(string $class, string $text): string
{
    return '<p class="' . h($class) . '">' . h($text) . '</p>';
}

/**
 * The token of the admin's forms for $action (a real plugin uses its
 * platform's nonces and admin login): a page elsewhere cannot forge it.
 */
function form_token(string $action): string
{
    return hash_hmac('sha256', "admin-form:$action", shop_secret());
}

function check_form_token(string $action): void
{
    if (!hash_equals(form_token($action), (string) ($_POST['token'] ?? ''))) {
        page('Expired form', notice('error', 'The form expired: open the page again.'), 403);
    }
}

/** $text ending with a full stop, to put another sentence after it. */
function sentence(string $text): string
{
    return preg_match('/[.!?]$/', $text) ? $text : "$text.";
}

/**
 * What seQura's refusal means for the admin, from the exception's type;
 * the message itself never holds a password or key.
 */
function explain(Sequra\Exception $e): string
{
    $why = implode('; ', $e->getErrors());
    return sentence(match (true) {
        $e instanceof Sequra\ValidationException => 'Nothing was sent: the request has problems: '
            . implode('; ', array_map(fn ($p) => "{$p['path']} {$p['message']}", $e->getProblems())),
        $e instanceof Sequra\AuthenticationException => 'seQura refused the username or password: check them in Settings.',
        $e instanceof Sequra\ForbiddenException => 'These credentials may not act for this merchant: check the merchant id in Settings.',
        $e instanceof Sequra\NotFoundException => 'seQura does not know this order.',
        $e instanceof Sequra\ConflictException => 'seQura refused: ' . ($why !== '' ? $why : $e->getMessage()),
        $e instanceof Sequra\RateLimitedException => 'seQura asks to wait'
            . ($e->getRetryAfter() !== null ? " {$e->getRetryAfter()} s" : '') . ' before trying again.',
        $e instanceof Sequra\TransportException => 'seQura could not be reached: ' . $e->getMessage(),
        default => 'seQura failed: ' . $e->getMessage(),
    });
}
