"""`ioc-console install-autostart`: the files a wall PC's session starts the console from.

Each file is read back as a desktop or systemd would read it (string escapes, `%%`, then
shell-style splitting), so a quoting mistake shows up as a wrong argv, not a wrong string.
"""

from __future__ import annotations

import configparser
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from ioc_console import autostart
from ioc_console.autostart import autostart_main
from ioc_console.cli import run

ROOT = Path(__file__).resolve().parents[1]
STRING_ESCAPES = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}


@pytest.fixture(autouse=True)
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config"


def read_ini(path: Path, section: str) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return dict(parser[section])


# One Exec word: double-quoted with \" \` \$ \\ escaped, or bare without reserved characters.
WORD = re.compile(r'"((?:[^"\\`$]|\\["`$\\])*)"|([^ \t\n"\'\\<>~|&;$*?#`=()]+)')


def desktop_unescape(value: str) -> str:
    """What a reader does before it splits: string escapes undone, then `%%`."""
    unescaped = re.sub(r"\\(.)", lambda match: STRING_ESCAPES[match[1]], value)
    return unescaped.replace("%%", "%")


def desktop_split(command: str) -> list[str]:
    r"""The spec's own splitting: shlex keeps the backslash of `\$` inside double quotes."""
    words: list[str] = []
    pos = 0
    while pos < len(command):
        match = WORD.match(command, pos)
        assert match, f"not an Exec word: {command[pos:]!r}"
        quoted, bare = match.groups()
        words.append(bare if quoted is None else re.sub(r"\\(.)", r"\1", quoted))
        pos = match.end() + 1
        assert command[match.end() : pos] in (" ", "")
    return words


def desktop_exec(path: Path) -> list[str]:
    """The argv a desktop runs; shlex and the spec agree on it unless `$` or `` ` `` occur."""
    command = desktop_unescape(read_ini(path, "Desktop Entry")["Exec"])
    argv = desktop_split(command)
    if not set("$`") & set(command):
        assert shlex.split(command) == argv
    return argv


def systemd_exec(path: Path) -> list[str]:
    value = read_ini(path, "Service")["ExecStart"]
    return [arg.replace("%%", "%").replace("$$", "$") for arg in shlex.split(value)]


def assert_starts_console(argv: list[str]) -> None:
    assert os.path.isabs(argv[0]) and os.path.isfile(argv[0]) and os.access(argv[0], os.X_OK)
    assert argv[0] == os.path.abspath(sys.executable)
    assert argv[1:3] == ["-m", "ioc_console"]


def test_desktop_entry_starts_the_console_on_the_node(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert autostart_main(["--node", "wall-1"]) == 0
    path = config / "autostart" / "ioc-console-node-wall-1.desktop"
    assert str(path) in capsys.readouterr().out
    entry = read_ini(path, "Desktop Entry")
    assert entry["Type"] == "Application"
    assert entry["Name"] == "IOC Console — wall node wall-1"
    assert entry["Terminal"] == "false"
    assert entry["X-GNOME-Autostart-enabled"] == "true"
    assert entry["Comment"]
    argv = desktop_exec(path)
    assert_starts_console(argv)
    assert argv[3:] == ["--node", "wall-1"]
    assert not list(path.parent.glob("*.tmp"))


def test_kiosk_and_site_with_a_space(tmp_path: Path, config: Path) -> None:
    site = tmp_path / "my sites" / "city centre.site.yaml"
    site.parent.mkdir()
    site.write_text("backends: []\n")
    assert run(["install-autostart", "--node", "wall.2", "--kiosk", "--site", str(site)]) == 0
    argv = desktop_exec(config / "autostart" / "ioc-console-node-wall.2.desktop")
    assert_starts_console(argv)
    assert argv[3:] == ["--node", "wall.2", "--kiosk", "--site", str(site)]


def test_relative_site_is_made_absolute(
    tmp_path: Path, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "here.site.yaml").write_text("backends: []\n")
    monkeypatch.chdir(tmp_path)
    assert autostart_main(["--node", "w", "--site", "here.site.yaml"]) == 0
    argv = desktop_exec(config / "autostart" / "ioc-console-node-w.desktop")
    assert argv[-2:] == ["--site", str(tmp_path / "here.site.yaml")]


HOSTILE = 'a "b" `c` $HOME \\d %e 100%% f=g;h#i*j'


def test_reserved_characters_survive_both_quotings(tmp_path: Path, config: Path) -> None:
    site = tmp_path / HOSTILE
    site.write_text("backends: []\n")
    assert autostart_main(["--node", "w", "--site", str(site)]) == 0
    assert autostart_main(["--node", "w", "--site", str(site), "--systemd"]) == 0
    assert desktop_exec(config / "autostart" / "ioc-console-node-w.desktop")[-1] == str(site)
    assert systemd_exec(config / "systemd/user/ioc-console-node-w.service")[-1] == str(site)


@pytest.mark.parametrize("arg", ["plain", "", "a b", "$X", "%f", "\\", '"', "x=y", "é ü"])
def test_quoting_round_trips(arg: str) -> None:
    assert desktop_split(desktop_unescape(autostart.desktop_arg(arg))) == [arg]
    systemd = shlex.split(autostart.systemd_arg(arg))
    assert [word.replace("%%", "%").replace("$$", "$") for word in systemd] == [arg]


def test_uninstall_removes_the_entry(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert autostart_main(["--node", "wall-1"]) == 0
    path = config / "autostart" / "ioc-console-node-wall-1.desktop"
    assert autostart_main(["--node", "wall-1", "--uninstall"]) == 0
    assert not path.exists()
    assert f"removed {path}" in capsys.readouterr().out
    assert autostart_main(["--node", "wall-1", "--uninstall"]) == 0
    assert "nothing was installed" in capsys.readouterr().out


def test_systemd_unit_written_and_removed(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert autostart_main(["--node", "wall-1", "--kiosk", "--systemd"]) == 0
    path = config / "systemd" / "user" / "ioc-console-node-wall-1.service"
    out = capsys.readouterr().out
    assert str(path) in out
    assert "systemctl --user enable --now ioc-console-node-wall-1.service" in out
    assert not (config / "autostart").exists()
    unit = read_ini(path, "Unit")
    assert unit["After"] == unit["PartOf"] == "graphical-session.target"
    assert "wall-1" in unit["Description"]
    service = read_ini(path, "Service")
    assert (service["Restart"], service["RestartSec"]) == ("on-failure", "5")
    assert read_ini(path, "Install")["WantedBy"] == "graphical-session.target"
    argv = systemd_exec(path)
    assert_starts_console(argv)
    assert argv[3:] == ["--node", "wall-1", "--kiosk"]

    wants = path.parent / "graphical-session.target.wants"
    wants.mkdir()
    (wants / path.name).symlink_to(path)  # as `systemctl --user enable` leaves it
    assert autostart_main(["--node", "wall-1", "--systemd", "--uninstall"]) == 0
    assert not path.exists() and not (wants / path.name).is_symlink()
    assert "removed" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["", "a/b", "../x", "wall 1", "x" * 65, "wall#1", "trạm", "a+b"])
def test_bad_node_name_refused(name: str, config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert autostart_main(["--node", name]) == 2
    assert autostart_main(["--node", name, "--systemd"]) == 2
    assert "node name" in capsys.readouterr().err
    assert not config.exists()


def test_missing_site_refused(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert autostart_main(["--node", "w", "--site", str(tmp_path / "gone.site.yaml")]) == 2
    assert autostart_main(["--node", "w", "--site", str(tmp_path)]) == 2  # a folder
    assert "site file" in capsys.readouterr().err
    assert not config.exists()


def test_interpreter_without_the_package_refused(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(autostart, "package_found", lambda python: False)
    assert autostart_main(["--node", "w"]) == 1
    assert not config.exists()


def test_node_starting_with_a_dash_stays_one_argument(config: Path) -> None:
    assert autostart_main(["--node=-w"]) == 0
    argv = desktop_exec(config / "autostart" / "ioc-console-node--w.desktop")
    assert argv[3:] == ["--node=-w"]


def test_empty_or_relative_xdg_config_home_means_dot_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    for value in ("", "relative/config"):
        monkeypatch.setenv("XDG_CONFIG_HOME", value)
        assert autostart.config_home() == tmp_path / ".config"


def test_real_command_line_writes_the_entry(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "ioc_console", "install-autostart", "--node", "wall-1", "--kiosk"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    path = tmp_path / "autostart" / "ioc-console-node-wall-1.desktop"
    assert str(path) in result.stdout
    argv = desktop_exec(path)
    assert_starts_console(argv)
    assert argv[3:] == ["--node", "wall-1", "--kiosk"]
