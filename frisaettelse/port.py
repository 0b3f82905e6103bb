"""Is the preview's address free? Checked before `mkdocs serve` starts, which otherwise answers a taken port
with a long traceback. Standard library only: `scripts/serve` runs this file before the virtualenv exists.

    python frisaettelse/port.py [mkdocs serve arguments]  ->  prints host:port, or one Danish line and exit 1
"""

from __future__ import annotations

import errno
import socket
import sys

DEFAULT_ADDRESS = "127.0.0.1:8000"


class AddressError(Exception):
    """The address cannot be used; the message is Danish and says how to pick another."""


def split_address(address: str) -> tuple[str, int]:
    """`host:port` (IPv6 as `[::1]:8000`) → (host, port); a Danish AddressError when it is not one."""
    host, sep, port_text = address.strip().rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not sep or not host or not port_text.isascii() or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise AddressError(f"Adressen '{address}' kan ikke bruges. Skriv vært og port som 127.0.0.1:8000.")
    return host, int(port_text)


def free_port_after(host: str, port: int, *, tries: int = 20) -> int | None:
    """The first free port after `port` on `host`, to suggest one that works."""
    for candidate in range(port + 1, min(port + 1 + tries, 65536)):
        if problem_with(host, candidate) is None:
            return candidate
    return None


def problem_with(host: str, port: int) -> OSError | None:
    """Bind and release the address the way MkDocs' server does (SO_REUSEADDR), or return why it failed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        return error if isinstance(error, OSError) else OSError(str(error))
    family, kind, proto, _, sockaddr = infos[0]
    try:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(sockaddr)
    except OSError as error:
        return error
    return None


def check_address(address: str, *, how_to_change: str) -> tuple[str, int]:
    """(host, port) when the preview can listen there; else a Danish AddressError with the way to pick another.

    `how_to_change` is the command with `{adresse}` where the new address goes.
    """
    host, port = split_address(address)
    error = problem_with(host, port)
    if error is None:
        return host, port
    shown = f"[{host}]" if ":" in host else host
    if error.errno == errno.EADDRINUSE:
        suggestion = free_port_after(host, port) or port + 1
        raise AddressError(
            f"Port {port} på {shown} er optaget – kører forhåndsvisningen allerede i et andet "
            f"vindue? Luk den, eller vælg en anden port: "
            f"{how_to_change.format(adresse=f'{shown}:{suggestion}')}"
        )
    if error.errno == errno.EACCES:
        raise AddressError(
            f"Port {port} må kun bruges af administratorer. Vælg en port over 1024, fx: "
            f"{how_to_change.format(adresse=f'{shown}:8001')}"
        )
    if isinstance(error, socket.gaierror) or error.errno is None:
        reason = "værtsnavnet kendes ikke"
    elif error.errno == errno.EADDRNOTAVAIL:
        reason = "adressen hører ikke til denne computer"
    else:
        reason = error.strerror or str(error)
    raise AddressError(
        f"Forhåndsvisningen kan ikke lytte på {address} ({reason}). "
        f"Vælg en anden adresse, fx: {how_to_change.format(adresse=DEFAULT_ADDRESS)}"
    )


def dev_address(arguments: list[str]) -> str:
    """The address `mkdocs serve` will use from its arguments (the last `--dev-addr`/`-a` wins, as in click)."""
    address = DEFAULT_ADDRESS
    for i, argument in enumerate(arguments):
        if argument in ("--dev-addr", "-a") and i + 1 < len(arguments):
            address = arguments[i + 1]
        elif argument.startswith("--dev-addr="):
            address = argument.split("=", 1)[1]
        elif argument.startswith("-a") and len(argument) > 2 and not argument.startswith("--"):
            address = argument[2:]
    return address


def main(arguments: list[str]) -> int:
    """For scripts/serve: print the address to serve on, or one Danish line on stderr and exit 1."""
    address = dev_address(arguments)
    try:
        host, port = check_address(address, how_to_change="bash scripts/serve --dev-addr {adresse}")
    except AddressError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"[{host}]:{port}" if ":" in host else f"{host}:{port}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
