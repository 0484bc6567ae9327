"""The names this server answers to: its listen address, ``PRESSCUT_BASE_URL``'s host and
``PRESSCUT_ALLOWED_HOSTS``; a request for any other host is refused.

A page on attacker.example can make its own name resolve to 127.0.0.1 (DNS rebinding),
and then the visitor's browser talks to a server on their own machine as if it were
attacker.example's: it reads, and in local mode writes, with the page's script. Its
requests carry ``Host: attacker.example``, which is how they are told apart.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from flask import Flask, abort, request

from core.settings import Settings
from webapp.access import is_loopback

WILDCARDS = ("", "0.0.0.0", "::")
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


class Allowed:
    """Host names (``.example.org`` for it and its subdomains), and whether any address
    written as an IP is one (a server listening on every address)."""

    def __init__(self, settings: Settings):
        names = {settings.host.strip("[]").lower()}
        self.any_address = settings.host in WILDCARDS
        if self.any_address:
            names.add(socket.gethostname().lower())
        if self.any_address or is_loopback(settings.host):
            names.update(LOOPBACK_NAMES)
        base = urlsplit(settings.base_url).hostname if settings.base_url else None
        names.update(n.strip().lower() for n in settings.allowed_hosts.split(",") if n.strip())
        self.names = frozenset(filter(None, names | {base}))

    def __contains__(self, host: str) -> bool:
        """Whether a Host header (a name or address, with or without its port) is one."""
        try:
            name = urlsplit(f"//{host}").hostname
        except ValueError:  # "[nonsense]"
            return False
        if not name:
            return False
        name = name.rstrip(".")  # "localhost." is localhost, fully qualified
        if self.any_address and _address(name):
            return True
        return name in self.names or any(
            allowed.startswith(".") and (name.endswith(allowed) or name == allowed[1:])
            for allowed in self.names)

    def sentence(self) -> str:
        listed = ", ".join(sorted(self.names))
        return (f"This server answers to {listed}"
                + (" or any of its IP addresses" if self.any_address else "")
                + ", not to the host this request named. Its operator can add a name with "
                "PRESSCUT_BASE_URL or PRESSCUT_ALLOWED_HOSTS.")


def _address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def init_app(app: Flask, settings: Settings) -> None:
    allowed = Allowed(settings)

    def check_host() -> None:
        # The host after ProxyFix: behind a trusted proxy, the one the reader asked for.
        if request.host not in allowed:
            abort(400, allowed.sentence())
    app.before_request(check_host)
