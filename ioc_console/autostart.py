"""`ioc-console install-autostart`: bring a wall PC back on its wall node after a power cut.

Nobody is at a wall PC's keyboard when the power returns, so the session itself must start
the console on the right node: an XDG autostart entry (any desktop), or with --systemd a user
unit that also restarts a console that crashed. Only files under $XDG_CONFIG_HOME are
written; running systemctl is left to the operator.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import string
import subprocess
import sys
import tempfile
from pathlib import Path

NODE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")  # names a file and one MQTT topic level
# The Desktop Entry spec's reserved characters: an argument holding one must be quoted.
DESKTOP_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#`=()")
SYSTEMD_PLAIN = frozenset(string.ascii_letters + string.digits + "-_./:+,@%")
PROG = "ioc-console install-autostart"


def config_home() -> Path:
    """$XDG_CONFIG_HOME, else ~/.config: the spec ignores an empty or relative value."""
    value = os.environ.get("XDG_CONFIG_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".config"


def entry_path(node: str, systemd: bool) -> Path:
    """Where the session looks: one file per node, so a PC may serve several nodes."""
    folder, suffix = ("systemd/user", "service") if systemd else ("autostart", "desktop")
    return config_home() / folder / f"ioc-console-node-{node}.{suffix}"


def console_command(node: str, kiosk: bool, site: Path | None) -> list[str]:
    """The console on this node, run by this very interpreter so its venv comes along."""
    # `--node=-x`: argparse would take a separate "-x" for an option.
    node_args = [f"--node={node}"] if node.startswith("-") else ["--node", node]
    command = [os.path.abspath(sys.executable), "-m", "ioc_console", *node_args]
    command += ["--kiosk"] if kiosk else []
    return command + (["--site", str(site)] if site is not None else [])


def check_printable(arg: str) -> None:
    """Neither file format can carry control characters inside an argument."""
    if any(ord(char) < 32 or ord(char) == 127 for char in arg):
        raise ValueError(f"control character in {arg!r}")


def desktop_arg(arg: str) -> str:
    """One Exec argument: quoted per the Desktop Entry spec, then escaped as a string value."""
    check_printable(arg)
    if not arg or DESKTOP_RESERVED.intersection(arg):
        arg = '"' + re.sub(r'(["`$\\])', r"\\\1", arg) + '"'
    # Readers undo the string escapes (`\\` → `\`) before they split the command line.
    return arg.replace("%", "%%").replace("\\", "\\\\")


def systemd_arg(arg: str) -> str:
    """One ExecStart argument: %specifiers and $VARIABLES doubled, quoted when not plain."""
    check_printable(arg)
    text = arg.replace("%", "%%").replace("$", "$$")
    if arg and SYSTEMD_PLAIN.issuperset(arg):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def desktop_entry(node: str, command: list[str]) -> str:
    """The XDG autostart entry: started at log-in by every desktop that follows the spec."""
    return (
        "[Desktop Entry]\nType=Application\nVersion=1.5\n"
        f"Name=IOC Console — wall node {node}\n"
        f"Comment=Starts the IOC operator console on wall node {node} at log-in\n"
        f"Exec={' '.join(desktop_arg(arg) for arg in command)}\n"
        "Terminal=false\nX-GNOME-Autostart-enabled=true\n"
    )


def systemd_unit(node: str, command: list[str]) -> str:
    """The user unit: tied to the graphical session, restarted when the console fails."""
    return (
        f"[Unit]\nDescription=IOC Console on wall node {node}\n"
        "After=graphical-session.target\nPartOf=graphical-session.target\n\n"
        f"[Service]\nExecStart={' '.join(systemd_arg(arg) for arg in command)}\n"
        "Restart=on-failure\nRestartSec=5\n\n"
        "[Install]\nWantedBy=graphical-session.target\n"
    )


def write_atomically(path: Path, text: str) -> None:
    """Replace the file whole: a power cut mid-write leaves the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temp, 0o644)  # as any config file, not mkstemp's 0600
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    if os.name == "posix":  # the rename itself must reach the disk too
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def package_found(python: str) -> bool:
    """Whether the session, starting in the home folder, finds ioc_console (a bare checkout: no)."""
    probe = "import importlib.util, sys; sys.exit(importlib.util.find_spec('ioc_console') is None)"
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    try:
        result = subprocess.run(
            [python, "-c", probe], cwd=Path.home(), env=env, capture_output=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0


def fail(message: str, code: int = 2) -> int:
    """A plain one-line error for the person at the wall PC, no traceback."""
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return code


def uninstall(node: str, systemd: bool) -> int:
    """Remove the node's entry; with nothing installed there is nothing to undo (exit 0)."""
    path = entry_path(node, systemd)
    if not path.exists():
        print(f"nothing was installed for wall node {node} ({path} does not exist)")
        return 0
    path.unlink()
    print(f"removed {path}")
    if systemd:  # what `systemctl --user disable` would remove: the enablement link
        link = path.parent / "graphical-session.target.wants" / path.name
        if link.is_symlink():
            link.unlink()
            print(f"removed {link}")
        print(f"to stop it now: systemctl --user stop {path.name}; systemctl --user daemon-reload")
    return 0


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Its own options: none of the wall's apply to writing an autostart entry."""
    parser = argparse.ArgumentParser(
        prog=PROG, description="Start the console on a wall node when this PC's session starts."
    )
    parser.add_argument("--node", required=True, metavar="NAME", help="the wall node to run")
    parser.add_argument("--kiosk", action="store_true", help="start the console in kiosk mode")
    parser.add_argument("--site", type=Path, metavar="FILE", help="site file to start with")
    parser.add_argument("--uninstall", action="store_true", help="remove the entry instead")
    parser.add_argument("--systemd", action="store_true", help="a systemd user unit instead")
    return parser.parse_args(argv)


def autostart_main(argv: list[str]) -> int:
    """Write (or with --uninstall remove) what starts the console on one wall node."""
    args = parse_args(argv)
    node: str = args.node
    if not NODE_NAME.fullmatch(node):
        return fail(f"node name {node!r} must be 1 to 64 of A-Z a-z 0-9 _ . -")
    if args.uninstall:
        return uninstall(node, args.systemd)
    if args.site is not None and not args.site.is_file():
        return fail(f"site file {args.site} is not an existing file")
    if not sys.executable:
        return fail("cannot tell which Python interpreter runs this command", 1)
    # The session starts in another folder: the site path must be absolute.
    site: Path | None = args.site.absolute() if args.site is not None else None
    command = console_command(node, args.kiosk, site)
    render = systemd_unit if args.systemd else desktop_entry
    try:
        text = render(node, command)
    except ValueError as error:
        return fail(f"cannot write that command: {error}")
    if not package_found(command[0]):
        return fail(f"{command[0]} imports ioc_console only here: pip install the package", 1)
    path = entry_path(node, args.systemd)
    write_atomically(path, text)
    print(f"wrote {path}")
    other = entry_path(node, not args.systemd)
    if other.exists():
        print(f"note: {other} starts this node too; remove one of them", file=sys.stderr)
    if args.systemd:
        enable = f"systemctl --user enable --now {path.name}"
        print(f"to enable it: systemctl --user daemon-reload && {enable}")
    return 0
