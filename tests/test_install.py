"""The built wheel is the program: installed in a fresh venv, it runs from any folder.

The wheel is built from the files git would commit (tracked, or new and not ignored), so
a file that only `make` produces or that .gitignore hides is missed here as it would be
from a clean clone. It is installed with no network into a new venv that borrows the dev
venv's dependencies through a .pth file (PySide6 is not downloaded again), and run from
a folder outside the checkout, so nothing can come from the repository by accident.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import needs_display
from tests.test_wall_integration import busy_share_per_cell

ROOT = Path(__file__).resolve().parents[1]
OURS = {"console", "widgets", "ioc_console"}
SHIPPED = ("pyproject.toml", "README.md", "main.py", *OURS, "resources", "layouts")
DATA = {"resources": "ioc_console/resources", "layouts": "ioc_console/layouts"}


def committed_files() -> list[str]:
    """What a clean clone would hold of the folders the wheel is built from."""
    if (ROOT / ".git").exists() and shutil.which("git"):
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", *SHIPPED],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout.decode()
        names = [name for name in listed.split("\0") if name]
    else:
        names = [str(p.relative_to(ROOT)) for top in SHIPPED for p in (ROOT / top).rglob("*")]
    return sorted(name for name in names if (ROOT / name).is_file() and "__pycache__" not in name)


def tree_packages(files: list[str]) -> set[str]:
    return {
        name.removesuffix("/__init__.py").replace("/", ".")
        for name in files
        if name.endswith("/__init__.py")
    }


@dataclass
class Installed:
    wheel: Path
    bin: Path
    env: dict[str, str]
    cwd: Path  # outside the checkout

    def run(self, *command: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command,
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("install")
    source = work / "source"
    for name in committed_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    build = [*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index"]
    subprocess.run([*build, "-w", str(work / "dist"), str(source)], check=True, timeout=120)
    (wheel,) = (work / "dist").glob("ioc_console-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = [*pip, "--python", str(python), "install", "--no-deps", "--no-index"]
    subprocess.run([*install, str(wheel)], check=True, timeout=120)
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # After our own site-packages on sys.path: the wheel wins over the dev venv's editable
    # install (whose finder a plain path line does not load anyway).
    (Path(purelib) / "dev-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["VIRTUAL_ENV"] = str(venv)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    home = work / "home"
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        env[variable] = str(home / variable.lower())
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    return Installed(wheel, venv / "bin", env, elsewhere)


def test_pyproject_lists_every_package_of_the_tree() -> None:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(setuptools["packages"])
    in_tree = tree_packages(committed_files())
    missing = sorted(in_tree - listed)
    assert not missing, f"add {missing} to [tool.setuptools] packages in pyproject.toml"
    folders: dict[str, str] = setuptools["package-dir"]
    for package in listed - in_tree:  # a data folder mapped into ioc_console, e.g. resources/map
        parent = next((p for p in folders if package == p or package.startswith(f"{p}.")), None)
        assert parent is not None, f"no such package: remove {package} from pyproject.toml"
        folder = ROOT / folders[parent] / package.removeprefix(parent).strip(".").replace(".", "/")
        assert folder.is_dir(), f"{package}: no folder {folder}"


def test_the_wheel_holds_our_packages_and_data_and_nothing_else(installed: Installed) -> None:
    names = zipfile.ZipFile(installed.wheel).namelist()
    top = {name.split("/")[0] for name in names if ".dist-info/" not in name}
    assert top == OURS, "no `main`, `tests`, `resources` or `layouts` at the top level"
    files = committed_files()
    modules = [name for name in files if name.split("/")[0] in OURS and name.endswith(".py")]
    data = [
        name.replace(folder, packaged, 1)
        for name in files
        for folder, packaged in DATA.items()
        if name.startswith(f"{folder}/") and not name.endswith(".ts")
    ]
    assert not set(modules) - set(names), "modules missing from the wheel"
    assert not set(data) - set(names), "data files missing from the wheel"
    assert "ioc_console/resources/translations/ioc_console_vi.qm" in names, "commit the .qm"


def test_the_installed_program_finds_its_own_files(installed: Installed) -> None:
    probe = (
        "import json, console, widgets, ioc_console; from console import assets; print(json.dumps("
        "[m.__file__ for m in (console, widgets, ioc_console)] + [assets.is_installed(), "
        "str(assets.themes_dir() / 'dark.qss'), str(assets.translations_dir()), "
        "str(assets.saved_layouts_dir(assets.layouts_dir()))]))"
    )
    result = installed.run(str(installed.bin / "python"), "-c", probe)
    assert result.returncode == 0, result.stderr
    *modules, is_installed, theme, translations, saved = json.loads(result.stdout)
    venv = str(installed.bin.parent)
    assert all(module.startswith(venv) for module in modules), modules
    assert is_installed and Path(theme).is_file() and theme.startswith(venv)
    assert sorted(p.name for p in Path(translations).iterdir()) == ["ioc_console_vi.qm"]
    assert saved == str(Path(installed.env["XDG_CONFIG_HOME"]) / "ioc-console" / "layouts")


def test_python_m_ioc_console_validates_the_shipped_layouts(installed: Installed) -> None:
    python = str(installed.bin / "python")
    where = installed.run(python, "-c", "from console.assets import layouts_dir as d; print(d())")
    shipped = sorted(Path(where.stdout.strip()).glob("*.yaml"))
    assert {p.name for p in shipped} >= {"operator.yaml", "weekly-briefing.deck.yaml"}
    result = installed.run(python, "-m", "ioc_console", "validate", *map(str, shipped))
    assert result.returncode == 0, result.stdout + result.stderr


@needs_display()
def test_ioc_console_demo_shows_the_wall(installed: Installed) -> None:
    target = installed.cwd / "installed.png"
    command = [str(installed.bin / "ioc-console"), "--demo", "--screenshot", str(target)]
    result = installed.run(*command, "--exit-after", "25", timeout=150)
    assert result.returncode == 0, result.stderr[-3000:]
    assert target.is_file(), result.stderr[-3000:]
    shares = busy_share_per_cell(target)
    names = ("camera", "map", "KPI chart", "incidents")
    assert all(share > 0.05 for share in shares), dict(zip(names, shares, strict=True))


def test_main_py_runs_the_same_program_in_a_checkout() -> None:
    result = subprocess.run(
        [sys.executable, "main.py", "validate", "layouts/operator.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_in_a_checkout_the_files_are_the_repositorys() -> None:
    from console import assets

    assert not assets.is_installed()
    assert assets.themes_dir() == ROOT / "resources" / "themes"
    assert assets.map_dir() == ROOT / "resources" / "map"
    assert assets.translations_dir() == ROOT / "resources" / "translations"
    assert assets.layouts_dir() == ROOT / "layouts"
    assert assets.saved_layouts_dir(ROOT / "layouts") == ROOT / "layouts"  # as before


def test_presets_saved_outside_the_shipped_folder_come_back(tmp_path: Path) -> None:
    """Installed, the editor saves to the user's folder; the wall offers those presets too."""
    from ioc_console import app

    shipped, saved = tmp_path / "shipped", tmp_path / "config" / "layouts"
    for folder, name in ((shipped, "day"), (saved, "mine")):
        folder.mkdir(parents=True)
        (folder / f"{name}.yaml").write_text(
            f"name: {name}\nscreens:\n  - {{name: s, rows: 1, columns: 1,\n"
            "     cells: [{row: 0, column: 0, kind: empty}]}\n"
        )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(app, "saved_layouts_dir", lambda _layouts: saved)
        console = app.Console("http://127.0.0.1:9", layouts_dir=shipped, preset="day")
    try:
        assert {preset.name for preset in console.library.presets()} == {"day", "mine"}
        assert console.editor.layouts_dir == saved
    finally:
        for _sender, outbox in console.senders:
            outbox.close()
        console.wall.close()
