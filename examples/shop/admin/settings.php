<?php
// GET/POST /admin/settings: the seQura account the shop uses. "Check and
// save" asks seQura whether the endpoint, the merchant id and the
// credentials work together (Client::checkCredentials; nothing is created)
// and saves them only when they do.

declare(strict_types=1);

$settings = sequra_settings();
$notice = '';
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    check_form_token('settings');
    $field = fn (string $name) => trim(is_string($_POST[$name] ?? null) ? $_POST[$name] : '');
    $candidate = [
        'endpoint' => $field('endpoint'),
        'merchant' => $field('merchant'),
        'username' => $field('username'),
        // Left blank: keep the saved password (the page never shows it).
        'password' => $field('password') !== '' ? $field('password') : $settings['password'],
    ];
    try {
        sequra_client($candidate)->checkCredentials();
        save_sequra_settings($candidate);
        $notice = notice('ok', "Connected: seQura accepts merchant {$candidate['merchant']} at {$candidate['endpoint']}."
            . ' The settings are saved.');
    } catch (Sequra\Exception $e) {
        $notice = notice('error', sentence(settings_problem($e, $candidate)) . ' Nothing was saved.');
    }
    $settings = $candidate;
}

/** What is wrong with the settings, as the admin can fix it. */
function settings_problem(Sequra\Exception $e, #[\SensitiveParameter] array $settings): string
{
    return match (true) {
        $e instanceof Sequra\ConfigException => 'These settings cannot be used: ' . $e->getMessage(),
        $e instanceof Sequra\AuthenticationException => 'seQura refused the username or password. Check them,'
            . ' and that they belong to this endpoint: sandbox credentials do not work on live.',
        $e instanceof Sequra\ForbiddenException, $e instanceof Sequra\NotFoundException =>
            "seQura does not know merchant \"{$settings['merchant']}\" for user \"{$settings['username']}\":"
            . ' check the merchant id.',
        $e instanceof Sequra\TlsException => "The certificate of {$settings['endpoint']} was refused, so nothing"
            . ' was sent: check the endpoint, and the CA file if it uses a private CA. ' . $e->getMessage(),
        $e instanceof Sequra\TransportException => "seQura cannot be reached at {$settings['endpoint']}: "
            . $e->getMessage(),
        default => explain($e),
    };
}

$input = fn (string $name, string $label, string $type = 'text', string $value = '') => '<p><label>' . h($label)
    . "<br><input type=\"$type\" id=\"$name\" name=\"$name\" size=\"50\" value=\"" . h($value) . '"'
    . ($type === 'password' ? ' placeholder="(unchanged)" autocomplete="new-password"' : '') . '></label></p>';
page('seQura settings', $notice . '<form method="post" action="/admin/settings">'
    . '<input type="hidden" name="token" value="' . h(form_token('settings')) . '">'
    . $input('endpoint', 'Endpoint ("sandbox", "live" or a URL)', value: $settings['endpoint'])
    . $input('merchant', 'Merchant id', value: $settings['merchant'])
    . $input('username', 'Username', value: $settings['username'])
    . $input('password', 'Password (leave blank to keep it)', 'password')
    . '<button type="submit" id="check-button">Check and save</button></form>');
