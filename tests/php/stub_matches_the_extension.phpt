--TEST--
php-ext/sequra.stub.php declares exactly the classes (final or not), parents, methods, parameters and return types of the loaded extension
--FILE--
<?php
function signature(ReflectionMethod $m): string
{
    $params = array_map(fn (ReflectionParameter $p) => trim($p->getType() . ' $' . $p->getName()
        . ($p->isOptional() ? ' = ' . strtolower(var_export($p->getDefaultValue(), true)) : '')), $m->getParameters());
    $return = $m->hasReturnType() ? ': ' . $m->getReturnType() : '';
    return $m->getName() . '(' . implode(', ', $params) . ')' . $return;
}

// What the extension declares.
$actual = [];
foreach ((new ReflectionExtension('sequra'))->getClasses() as $class) {
    $line = ($class->isFinal() ? 'final ' : '') . 'class ' . $class->getName() . ' extends ' . ($class->getParentClass() ? $class->getParentClass()->getName() : '-');
    $methods = array_filter($class->getMethods(), fn ($m) => $m->getDeclaringClass()->getName() === $class->getName());
    $actual[] = $line;
    foreach ($methods as $m) {
        $actual[] = $class->getName() . '::' . signature($m);
    }
}

// What the stub declares: parsed from its source, never loaded.
$stub = file_get_contents(__DIR__ . '/../../php-ext/sequra.stub.php');
$declared = [];
preg_match_all('{^    (final )?class (\w+)(?: extends ([\\\\\w]+))?|^        public (?:static )?function (\w+)\(([^)]*)\)(?::\s*(\S+))? \{\}}m',
               $stub, $found, PREG_SET_ORDER);
foreach ($found as $f) {
    if (($f[2] ?? '') !== '') {
        $class = 'Sequra\\' . $f[2];
        $parent = ltrim($f[3] ?? '', '\\');
        $declared[] = "{$f[1]}class $class extends " . ($parent === '' ? '-' : (str_contains($parent, 'Exception') && !str_contains($parent, 'Runtime') ? "Sequra\\$parent" : $parent));
    } else {
        $params = $f[5] === '' ? [] : array_map(fn ($p) => trim(preg_replace('{#\[[^\]]*\]}', '', $p)), explode(',', $f[5]));
        $declared[] = "$class::{$f[4]}(" . implode(', ', $params) . ')' . (isset($f[6]) && $f[6] !== '' ? ": {$f[6]}" : '');
    }
}

sort($actual);
sort($declared);
echo "only in the extension:\n", implode("\n", array_diff($actual, $declared)), "\n";
echo "only in the stub:\n", implode("\n", array_diff($declared, $actual)), "\n";
echo count($actual), " declarations\n";

// Every option each client class takes is in the array shape of its
// constructor's $options, and no other: the extension names the options
// it takes when one is unknown ('logger' it takes out before that check).
preg_match_all('{^    class (\w+)\n    \{.*?@param array\{(.*?)\} \$options.*?public function __construct}ms', $stub, $shapes, PREG_SET_ORDER);
foreach ($shapes as [, $class, $shape]) {
    preg_match_all('{^\s*\*\s+(\w+)\??:}m', $shape, $keys);
    $declared = $keys[1];
    try {
        new ("Sequra\\$class")(['no_such_option' => 1]);
        echo "$class took an unknown option\n";
        continue;
    } catch (Sequra\ConfigException $e) {
        preg_match('{the options are (.*)$}', $e->getMessage(), $m);
        $taken = explode(', ', $m[1] ?? '');
    }
    sort($declared);
    sort($taken);
    echo "$class options: ", $declared === $taken ? 'as the extension takes them'
        : 'stub only: ' . implode(', ', array_diff($declared, $taken)) . '; extension only: ' . implode(', ', array_diff($taken, $declared)), "\n";
}

// Every @throws names a class that exists.
// A list of classes may go on on the next line, after a '|'.
$joined = preg_replace('{\|\n\s*\*\s*}', '|', $stub);
preg_match_all('{@throws ([\\\\\w|]+)}', $joined, $throws);
$unknown = [];
foreach ($throws[1] as $list) {
    foreach (explode('|', $list) as $name) {
        $name = $name[0] === '\\' ? substr($name, 1) : "Sequra\\$name";
        if (!class_exists($name) || !is_a($name, Throwable::class, true)) {
            $unknown[] = $name;
        }
    }
}
echo count($throws[1]), ' @throws, unknown classes: ', implode(', ', array_unique($unknown)), "\n";
?>
--EXPECTF--
only in the extension:

only in the stub:

76 declarations
Client options: as the extension takes them
PosClient options: as the extension takes them
PayseraClient options: as the extension takes them
CheckoutComClient options: as the extension takes them
%d @throws, unknown classes: 
