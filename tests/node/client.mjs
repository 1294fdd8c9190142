// node-soap against a served ips-mock: load a WSDL, list its operations, optionally call one, print JSON.
//
//   node client.mjs --wsdl URL [--operation NAME [--args JSON]] [--auth-header JSON --header-ns NS]
//                   [--basic-user U --basic-password P]
//
// --auth-header holds the authHeader's fields ({"user": ..., "password": ..., "appName": ...}) and --header-ns
// the namespace of the authHeader element the WSDL's binding declares.
//
// Prints one JSON object on stdout: {"operations": {port: [operation, ...]}, "endpoint": {port: url},
// "result": ...} after a successful call, or {..., "fault": {"faultcode", "faultstring", "detail"}} when the
// service answers a SOAP fault. Exit status 0 in both cases; 2 for bad arguments; 1 when anything else fails
// (the WSDL does not load, the reply is not SOAP, ...), with the reason on stderr.
//
// The authHeader goes in as node-soap users add it: addSoapHeader() with the header's namespace, which
// node-soap serializes through the WSDL's schema for that namespace.

import { parseArgs } from "node:util";

import soap from "soap";

const usage =
    "usage: node client.mjs --wsdl URL [--operation NAME [--args JSON]] [--auth-header JSON --header-ns NS] " +
    "[--basic-user U --basic-password P]";

function fail(message, status) {
    process.stderr.write(`client.mjs: ${message}\n`);
    process.exit(status);
}

let options;
try {
    ({ values: options } = parseArgs({
        options: {
            wsdl: { type: "string" },
            operation: { type: "string" },
            args: { type: "string", default: "{}" },
            "auth-header": { type: "string" },
            "header-ns": { type: "string" },
            "basic-user": { type: "string" },
            "basic-password": { type: "string" },
        },
        strict: true,
    }));
} catch (error) {
    fail(`${error.message}\n${usage}`, 2);
}
if (!options.wsdl) {
    fail(`--wsdl is required\n${usage}`, 2);
}
if (options["auth-header"] !== undefined && !options["header-ns"]) {
    fail("--auth-header needs --header-ns, the namespace of the authHeader the WSDL's binding declares", 2);
}

function parseJson(name) {
    try {
        return JSON.parse(options[name]);
    } catch (error) {
        fail(`--${name} is not JSON: ${error.message}`, 2);
    }
}

const args = parseJson("args");
const authHeader = options["auth-header"] === undefined ? undefined : parseJson("auth-header");

// Every port's operations and address, as node-soap read them from the WSDL.
function describe(client) {
    const operations = {};
    const endpoint = {};
    for (const [serviceName, ports] of Object.entries(client.describe())) {
        for (const [portName, methods] of Object.entries(ports)) {
            operations[portName] = Object.keys(methods).sort();
            endpoint[portName] = client.wsdl.services[serviceName].ports[portName].location;
        }
    }
    return { operations, endpoint };
}

// The SOAP fault node-soap parsed from a fault reply, or null when the error is something else.
function soapFault(error) {
    const fault = error?.root?.Envelope?.Body?.Fault;
    if (!fault) {
        return null;
    }
    return { faultcode: fault.faultcode ?? null, faultstring: fault.faultstring ?? null, detail: fault.detail ?? null };
}

let client;
try {
    client = await soap.createClientAsync(options.wsdl);
} catch (error) {
    fail(`the WSDL ${options.wsdl} did not load: ${error.message}`, 1);
}
const output = describe(client);

if (authHeader !== undefined) {
    client.addSoapHeader({ authHeader }, "authHeader", "ips", options["header-ns"]);
}
if (options["basic-user"] !== undefined) {
    client.setSecurity(new soap.BasicAuthSecurity(options["basic-user"], options["basic-password"] ?? ""));
}

if (options.operation) {
    const method = client[`${options.operation}Async`];
    if (typeof method !== "function") {
        fail(`the WSDL describes no operation ${options.operation}`, 1);
    }
    try {
        const [result] = await method.call(client, args);
        output.result = result;
    } catch (error) {
        const fault = soapFault(error);
        if (fault === null) {
            fail(`${options.operation} failed: ${error.message}`, 1);
        }
        output.fault = fault;
    }
    output.lastRequest = client.lastRequest ?? null;
}

process.stdout.write(`${JSON.stringify(output)}\n`);
