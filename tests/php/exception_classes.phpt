--TEST--
Every error kind has its Sequra\Exception subclass, with its kind and getters, usable with new
--FILE--
<?php
$classes = [
    'ValidationException' => ['invalid_input', 'getProblems'],
    'ConfigException' => ['config', null],
    'AuthenticationException' => ['authentication', null],
    'ForbiddenException' => ['forbidden', null],
    'NotFoundException' => ['not_found', null],
    'ConflictException' => ['conflict', null],
    'UnprocessableException' => ['unprocessable', null],
    'RateLimitedException' => ['rate_limited', 'getRetryAfter'],
    'ServerException' => ['server', null],
    'TransportException' => ['transport', null],
    'TlsException' => ['tls', null],
    'UnexpectedResponseException' => ['unexpected_response', null],
    'SignatureException' => ['bad_signature', null],
];
echo 'Sequra\Exception extends ', get_parent_class('Sequra\Exception'), "\n";
foreach ($classes as $short => [$kind, $getter]) {
    $class = "Sequra\\$short";
    $e = new $class('message', 7);
    $extra = $getter === null ? '' : " $getter()=" . json_encode($e->$getter());
    printf("%s extends %s: kind=%s status=%s acted=%s errors=%s%s\n", $short, get_parent_class($e), $e->getKind(),
           json_encode($e->getHttpStatus()), json_encode($e->mayHaveActed()), json_encode($e->getErrors()), $extra);
}
$base = new Sequra\Exception('x');
var_dump($base->getKind(), $base instanceof RuntimeException);
var_dump(method_exists('Sequra\ConfigException', 'getProblems'), method_exists('Sequra\ConflictException', 'getRetryAfter'));
echo phpversion('sequra') !== false ? "version ok\n" : "no version\n";
ob_start();
phpinfo(INFO_MODULES);
echo str_contains(ob_get_clean(), 'sequra support => enabled') ? "phpinfo ok\n" : "no phpinfo section\n";
?>
--EXPECT--
Sequra\Exception extends RuntimeException
ValidationException extends Sequra\Exception: kind=invalid_input status=null acted=false errors=[] getProblems()=[]
ConfigException extends Sequra\Exception: kind=config status=null acted=false errors=[]
AuthenticationException extends Sequra\Exception: kind=authentication status=null acted=false errors=[]
ForbiddenException extends Sequra\Exception: kind=forbidden status=null acted=false errors=[]
NotFoundException extends Sequra\Exception: kind=not_found status=null acted=false errors=[]
ConflictException extends Sequra\Exception: kind=conflict status=null acted=false errors=[]
UnprocessableException extends Sequra\Exception: kind=unprocessable status=null acted=false errors=[]
RateLimitedException extends Sequra\Exception: kind=rate_limited status=null acted=false errors=[] getRetryAfter()=null
ServerException extends Sequra\Exception: kind=server status=null acted=false errors=[]
TransportException extends Sequra\Exception: kind=transport status=null acted=false errors=[]
TlsException extends Sequra\TransportException: kind=tls status=null acted=false errors=[]
UnexpectedResponseException extends Sequra\Exception: kind=unexpected_response status=null acted=false errors=[]
SignatureException extends Sequra\Exception: kind=bad_signature status=null acted=false errors=[]
string(0) ""
bool(true)
bool(false)
bool(false)
version ok
phpinfo ok
