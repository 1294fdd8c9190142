"""Repository-level pytest configuration.

The ips-mock pytest plugin is loaded by its ``pytest11`` entry point; it must never also be listed here
(that would register it twice). pytester drives the plugin's own tests.
"""

pytest_plugins = ["pytester"]
