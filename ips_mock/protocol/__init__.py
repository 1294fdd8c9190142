"""The IPS wire protocol: XML, SOAP envelopes, credentials, the type description, WSDL.

Nothing in this package knows about jobs, users or companies: it turns bytes into decoded parameters and
decoded results back into bytes.
"""
