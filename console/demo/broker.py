"""A real mosquitto on loopback, for the demo wall, the tests and the benchmark.

Debian's `mosquitto` package (the Makefile installs it). Retained state is saved to
disk on every change, so a broker killed with `kill -9` comes back with every node's
desired state; as root it keeps root (`user root`) so its folder needs no chown.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

MOSQUITTO = "mosquitto"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def mosquitto_path() -> str | None:
    """The broker program, also where /usr/sbin is not on PATH."""
    return shutil.which(MOSQUITTO) or shutil.which(MOSQUITTO, path="/usr/sbin:/usr/local/sbin")


def stop_all(processes: list[subprocess.Popen[bytes]], grace_s: float = 10.0) -> None:
    """Ask every process to end (consoles say "offline" on their way out), then kill."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(grace_s)
        except subprocess.TimeoutExpired:
            process.kill()


class LocalBroker:
    """`with LocalBroker(folder) as broker:` a mosquitto at `broker.url` until the end."""

    def __init__(
        self,
        folder: Path,
        port: int | None = None,
        acl_file: Path | None = None,
        accounts: dict[str, str] | None = None,
    ) -> None:
        self.folder = folder
        self.port = port or free_port()
        self.acl_file = acl_file
        self.accounts = accounts or {}  # user → password; none: anyone may connect
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def config(self) -> str:
        lines = [
            f"listener {self.port} 127.0.0.1",
            f"allow_anonymous {'false' if self.accounts else 'true'}",
            "persistence true",
            f"persistence_location {self.folder}/",
            "autosave_on_changes true",  # with an interval of 1: every change is on disk
            "autosave_interval 1",
            "log_dest none",
            "max_packet_size 1048576",
        ]
        if os.geteuid() == 0:
            lines.append("user root")
        if self.acl_file is not None:
            lines.append(f"acl_file {self.acl_file}")
        if self.accounts:
            lines.append(f"password_file {self.folder / 'passwords'}")
        return "\n".join(lines) + "\n"

    def start(self, timeout_s: float = 10.0) -> None:
        program = mosquitto_path()
        if program is None:
            raise RuntimeError("mosquitto is not installed (apt-get install mosquitto)")
        self.folder.mkdir(parents=True, exist_ok=True)
        self._write_passwords()
        conf = self.folder / "mosquitto.conf"
        conf.write_text(self.config(), encoding="utf-8")
        log = (self.folder / "mosquitto.log").open("ab")
        with log:  # its own warnings (e.g. "run as root") stay out of the console's output
            self.process = subprocess.Popen(
                [program, "-c", str(conf)], stdin=subprocess.DEVNULL, stdout=log, stderr=log
            )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                said = (self.folder / "mosquitto.log").read_text(errors="replace")[-500:]
                raise RuntimeError(f"mosquitto exited with {self.process.returncode}: {said}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.02)  # a subprocess's port: nothing to wait on but the port
        raise RuntimeError(f"mosquitto did not listen on {self.port} within {timeout_s} s")

    def _write_passwords(self) -> None:
        """Hashed with mosquitto's own tool (the broker reads only its hash format)."""
        if not self.accounts:
            return
        path = self.folder / "passwords"
        path.write_text("", encoding="utf-8")
        path.chmod(0o600)
        tool = shutil.which("mosquitto_passwd") or "mosquitto_passwd"
        for user, password in self.accounts.items():
            subprocess.run([tool, "-b", str(path), user, password], check=True, capture_output=True)

    def kill(self) -> None:
        """`kill -9`: no goodbye to anyone, as in a power cut of the broker's machine."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> LocalBroker:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
