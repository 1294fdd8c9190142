<?php
// W9 of REAL-CLIENTS: a Drupal module's media library, PHP's SoapClient on the 2014 WSDL with the authHeader in
// the 2014-04-03 namespace: getCompanyInfo, then searchAssets (videos of a folder, one page), then getAssets of the
// handles found. Prints what the module reads, as JSON, and the last request it sent.
//
// usage: php w9.php WSDL_URL USER PASSWORD COMPANY FOLDER [--plain-object]
// With --plain-object the authHeader is a plain object, the first thing a PHP developer tries: PHP then sends its
// fields unqualified, and the script prints the fault it gets instead of the results.
declare(strict_types=1);

[, $wsdl, $user, $password, $company, $folder] = $argv;
$plainObject = ($argv[6] ?? '') === '--plain-object';
$ns = 'http://www.scene7.com/IpsApi/xsd/2014-04-03';

$client = new SoapClient($wsdl, ['trace' => true, 'exceptions' => true, 'cache_wsdl' => WSDL_CACHE_NONE]);
// The authHeader's fields must be qualified in its namespace (the schema's elementFormDefault): a plain array or
// object would be sent as an untyped map or with unqualified children, so each field is a SoapVar of the namespace.
$auth = ['user' => $user, 'password' => $password, 'appName' => 'he_media_library_extend_scene7', 'appVersion' => '1.0'];
if ($plainObject) {
    $header = new SoapHeader($ns, 'authHeader', (object) $auth);
} else {
    $fields = [];
    foreach ($auth as $name => $value) {
        $fields[] = new SoapVar($value, XSD_STRING, null, null, $name, $ns);
    }
    $header = new SoapHeader($ns, 'authHeader', new SoapVar($fields, SOAP_ENC_OBJECT));
}
$client->__setSoapHeaders([$header]);

// One item comes back as an object, several as an array: the module handles both, as this does.
function items($array): array {
    if ($array === null || !isset($array->items)) {
        return [];
    }
    return is_array($array->items) ? $array->items : [$array->items];
}

try {
    $info = $client->getCompanyInfo(['companyName' => $company]);
} catch (SoapFault $fault) {
    echo json_encode([
        'fault' => $fault->faultstring,
        'lastRequest' => $client->__getLastRequest(),
        'lastResponse' => $client->__getLastResponse(),
    ], JSON_UNESCAPED_SLASHES), "\n";
    exit(0);
}
$companyHandle = $info->companyInfo->companyHandle;

$found = $client->searchAssets([
    'companyHandle' => $companyHandle,
    'folder' => $folder,
    'includeSubfolders' => true,
    'assetTypeArray' => ['items' => ['Video']],
    'recordsPerPage' => 10,
    'resultsPage' => 1,
]);
$handles = array_map(fn ($asset) => $asset->assetHandle, items($found->assetArray ?? null));

$assets = [];
if ($handles) {
    $got = $client->getAssets(['companyHandle' => $companyHandle, 'assetHandleArray' => ['items' => $handles]]);
    foreach (items($got->assetArray ?? null) as $asset) {
        $assets[] = [
            'name' => $asset->name,
            'fileName' => $asset->fileName,
            'folder' => $asset->folder,
            'type' => $asset->type,
            'ipsImageUrl' => $asset->ipsImageUrl ?? null,
        ];
    }
}

echo json_encode([
    'companyHandle' => $companyHandle,
    'rootPath' => $info->companyInfo->rootPath,
    'totalRows' => $found->totalRows,
    'handles' => $handles,
    'assets' => $assets,
    'lastRequest' => $client->__getLastRequest(),
], JSON_UNESCAPED_SLASHES), "\n";
