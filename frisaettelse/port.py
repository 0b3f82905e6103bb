"""Can the preview listen on host:port? `mkdocs serve` answers a taken port with a long traceback. Standard library
only: `scripts/serve` runs this file before the virtualenv exists (it prints host:port, or one Danish line, exit 1)."""

from __future__ import annotations

import argparse
import errno
import socket
import sys


def address_problem(address: str, change: str) -> str | None:
    """None when the preview can listen on `address`; else one Danish line ending in `change` and an address."""
    host, _, port = address.rpartition(":")
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.create_server((host.strip("[]"), int(port) if host and port.isascii() else -1), family=family):
            return None
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            return f"Port {port} er optaget – kører forhåndsvisningen allerede? Luk den, eller vælg en anden port: {change} {host}:{int(port) + 1}"
    except (ValueError, OverflowError):
        pass
    return f"Forhåndsvisningen kan ikke lytte på {address}. Skriv en vært på denne computer og en port, fx: {change} 127.0.0.1:8000"


def dev_address(arguments: list[str]) -> str:  # what `mkdocs serve` reads: its last --dev-addr/-a
    reader = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    reader.add_argument("-a", "--dev-addr", default="127.0.0.1:8000")
    return str(reader.parse_known_args(arguments)[0].dev_addr)


if __name__ == "__main__":
    problem = address_problem(address := dev_address(sys.argv[1:]), "bash scripts/serve --dev-addr")
    print(problem or address, file=sys.stderr if problem else sys.stdout)
    raise SystemExit(1 if problem else 0)
