"""Site files: the shipped example loads, broken ones get an exact position, none crash."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from ruamel.yaml import YAML

from console.layout.library import layout_files
from console.layout.positions import LINE_BREAK, LayoutInvalid
from console.site.loader import SiteLoader, is_site_file, load_site, validate_site
from console.site.model import DEFAULT_PROVIDES, Connection, Site, site_for_backend
from console.site.schema import site_schema
from tests.test_fuzz_layouts import yaml_documents

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "layouts" / "sites" / "binh-phuoc.site.yaml"
HEAD = "version: 1\nname: x\nconnections:\n"
IOC = '  - {name: a, kind: ioc, url: "http://ioc.test"}\n'

BROKEN = [
    ("", "1:1: a site file must be a mapping with 'name' and 'connections'"),
    ("name: x\nconections: []\n", "2:1: unknown key 'conections' (did you mean 'connections'?)"),
    (
        HEAD + "  - name: a\n    kind: ioc\n    url: http://ioc.test\n    tokn: {env: T}\n",
        "7:5: unknown key 'tokn' (did you mean 'token'?)",
    ),
    (
        HEAD + "  - name: a\n    kind: ioc\n    url: http://ioc.test\n    token: s3cr3t\n",
        "7:12: a credential is never written in a site file: use {env: VARIABLE} or "
        "{keyring: ENTRY}",
    ),
    (
        HEAD + "  - name: a\n    kind: ioc\n    url: http://ioc.test\n    token: {envv: T}\n",
        "7:13: unknown key 'envv' (did you mean 'env'?)",
    ),
    (
        HEAD + "  - name: a\n    kind: ioc\n    url: http://ioc.test\n"
        "    token: {env: T, keyring: k}\n",
        "7:12: a credential names exactly one of 'env' or 'keyring'",
    ),
    (
        "name: x\ntimezone: Asia/Ho_Chi_Min\nconnections:\n" + IOC,
        "2:11: unknown time zone 'Asia/Ho_Chi_Min': use an IANA name "
        "(did you mean 'Asia/Ho_Chi_Minh'?)",
    ),
    (HEAD + IOC + IOC.replace("ioc.test", "b.test"), "5:12: connection name 'a' is used twice"),
    (
        HEAD + '  - {name: f, kind: open311, url: "http://f.test", provides: [cameras]}\n',
        "4:62: an open311 connection cannot provide cameras (it can provide: incidents)",
    ),
    (
        HEAD + '  - {name: a, kind: ioc, url: "ftp://ioc.test"}\n',
        "4:31: url 'ftp://ioc.test' must be an http:// or https:// address with a host",
    ),
    (
        HEAD + '  - {name: a, kind: ioc, url: "http://ioc.test", enabled: false}\n',
        "4:3: every connection is disabled: enable at least one",
    ),
    (
        HEAD + '  - {name: a, kind: ioc, url: "http://ioc.test", tenant: t}\n',
        "4:58: 'tenant' is for ngsi-ld connections, not ioc",
    ),
    (HEAD + '  - {name: a, kind: ioc, url: "http://ioc.test", poll_s: 0}\n', "4:58: poll_s:"),
    (HEAD + '  - {name: A/b, kind: ioc, url: "http://ioc.test"}\n', "4:12: connection name 'A/b'"),
    (HEAD + "  - {name: a, kind: iocc, url: x}\n", "4:21: kind: Input should be 'ioc'"),
    (HEAD + "  - {name: c, kind: cameras}\n", "4:5: a cameras connection lists its 'cameras'"),
    (HEAD + "  - {name: a, kind: open311}\n", "4:5: an open311 connection needs a 'url'"),
    (
        HEAD + "  - name: c\n    kind: cameras\n    cameras:\n"
        '      - {id: g1, name: Cổng, url: "javascript:x"}\n',
        "7:35: stream 'javascript:x' must start with one of rtsp://",
    ),
    (
        HEAD + "  - name: c\n    kind: cameras\n    cameras:\n"
        '      - {id: g1, name: Cổng, url: "rtsp://x.test", lattitude: 1}\n',
        "7:52: unknown key 'lattitude' (known: id, name, url, sub_url, district, lat, lon, "
        "onvif, onvif_user, onvif_password)",
    ),
    (
        HEAD + '  - {name: a, kind: ioc, url: "http://ioc.test", incident_sources: [citizens]}\n',
        "4:69: 0: Input should be 'citizen', 'camera' or 'sensor'",
    ),
    (
        "archive_after_days: 0\n" + HEAD + '  - {name: a, kind: ioc, url: "http://ioc.test"}\n',
        "1:21: archive_after_days: Input should be greater than or equal to 1",
    ),
    ("name: x\nconnections: [\n", "3:1: YAML: expected the node content"),
    ("name: x\nname: y\nconnections: []\n", "2:1: YAML: found duplicate key"),
]


@pytest.mark.parametrize(("text", "expected"), BROKEN)
def test_broken_site_reports_exact_position(text: str, expected: str) -> None:
    with pytest.raises(LayoutInvalid) as raised:
        SiteLoader("x.site.yaml", text).load_site()
    messages = [str(error) for error in raised.value.errors]
    assert any(message.startswith(f"x.site.yaml:{expected}") for message in messages), messages


def test_example_site_loads() -> None:
    site = load_site(EXAMPLE)
    assert site.name == "binh-phuoc" and str(site.zone) == "Asia/Ho_Chi_Minh"
    kinds = {c.name: c.kind for c in site.connections}
    assert kinds == {
        "province": "ioc",
        "feedback": "open311",
        "context": "ngsi-ld",
        "planning": "ogc-features",
    }
    by_name = {c.name: c for c in site.connections}
    assert by_name["feedback"].provides == {"incidents"}  # the kind's default
    assert by_name["context"].provides == {"kpis", "incidents"}  # as written
    assert by_name["province"].token is not None and by_name["province"].token.env
    assert [c.name for c in site.enabled()] == ["province", "feedback", "context"]


def test_every_kind_has_a_default_it_can_provide() -> None:
    for kind, feeds in DEFAULT_PROVIDES.items():
        where: dict[str, object] = (
            {"cameras": [{"id": "c1", "name": "Cổng", "url": "rtsp://x.test/1"}]}
            if kind == "cameras"
            else {"url": "https://x.test"}
        )
        connection = Connection(name="c", kind=kind, **where)  # type: ignore[arg-type]
        assert connection.provides == feeds


def test_backend_shorthand_is_one_native_connection() -> None:
    site = site_for_backend("http://127.0.0.1:8765")
    [connection] = site.connections
    assert (connection.kind, connection.url, site.timezone) == (
        "ioc",
        "http://127.0.0.1:8765",
        "Asia/Ho_Chi_Minh",
    )
    assert connection.provides == {"cameras", "incidents", "kpis", "layers"}


def test_a_site_built_in_code_is_checked_too() -> None:
    twice = {"name": "a", "kind": "ioc", "url": "http://a.test"}
    with pytest.raises(ValidationError, match="used twice"):
        Site(name="x", connections=[twice, twice])  # type: ignore[list-item]


def test_binary_and_huge_site_files_are_refused(tmp_path: Path) -> None:
    huge = tmp_path / "huge.site.yaml"
    huge.write_text(HEAD + IOC + "# " + "x" * 2_000_000 + "\n")
    binary = tmp_path / "binary.site.yaml"
    binary.write_bytes(b"name: x\0")
    assert str(validate_site(huge)[0]).startswith(f"{huge}:1:1: the file is too large")
    expected = f"{binary}:1:1: the file is binary, not a YAML site file"
    assert str(validate_site(binary)[0]) == expected


def test_site_files_are_never_read_as_layouts(tmp_path: Path) -> None:
    (tmp_path / "wall.yaml").write_text("")
    (tmp_path / "beside.site.yaml").write_text(EXAMPLE.read_text())
    assert [p.name for p in layout_files(tmp_path)] == ["wall.yaml"]
    assert EXAMPLE not in layout_files(EXAMPLE.parent.parent)
    assert is_site_file(EXAMPLE) and not is_site_file("layouts/operator.yaml")


def test_schema_names_every_key() -> None:
    schema = site_schema()
    connection = schema["$defs"]["Connection"]["properties"]
    assert {"name", "kind", "url", "token", "ca_bundle", "poll_s", "provides"} <= set(connection)
    assert set(connection["kind"]["enum"]) == set(DEFAULT_PROVIDES)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ioc_console", *args],
        cwd=ROOT,
        text=True,
        capture_output=True,
        check=False,
    )


def test_validate_and_schema_commands(tmp_path: Path) -> None:
    bad = tmp_path / "bad.site.yaml"
    bad.write_text(HEAD + '  - {name: a, kind: ioc, url: "http://a.test", token: "s3cr3t"}\n')
    ok = run_cli("validate", str(EXAMPLE.relative_to(ROOT)), "layouts/operator.yaml")
    failed = run_cli("validate", str(bad))
    schema = run_cli("schema", "site")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert failed.stdout.startswith(f"{bad}:4:55: a credential is never written")
    assert "s3cr3t" not in failed.stdout
    assert json.loads(schema.stdout)["title"] == "IOC Console site"
    started = run_cli("--site", str(bad), "--exit-after", "1")
    assert started.returncode == 2 and "Traceback" not in started.stderr, started.stderr
    assert f"{bad}:4:55: a credential is never written" in started.stderr, "no wall, the error"


def test_the_wall_follows_the_site_in_the_user_config_folder(tmp_path: Path) -> None:
    from ioc_console import sites

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sites, "user_sites_dir", lambda: tmp_path)
        assert sites.chosen_site(None, None, None) is None, "nothing there: the demo"
        (tmp_path / "tinh.site.yaml").write_text(HEAD + IOC)
        chosen = sites.chosen_site(None, None, None)
        assert chosen is not None and chosen.connections[0].url == "http://ioc.test"
        backend = sites.chosen_site(None, "http://other.test", None)
        assert backend is not None and backend.connections[0].url == "http://other.test"
        (tmp_path / "huyen.site.yaml").write_text(HEAD + IOC)
        with pytest.raises(SystemExit, match="choose with --site"):
            sites.chosen_site(None, None, None)


def test_the_demo_site_points_every_connection_at_the_running_demo() -> None:
    from ioc_console.sites import demo_site

    site = demo_site("http://127.0.0.1:4321/")
    assert {c.kind for c in site.connections} == {"ioc", "open311", "ngsi-ld"}
    assert all((c.url or "").startswith("http://127.0.0.1:4321") for c in site.connections)


FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
KEYS = ["version", "name", "timezone", "connections", "kind", "url", "token", "env", "keyring"]
KEYS += ["tenant", "jurisdiction_id", "poll_s", "provides", "enabled", "ca_bundle", "client_id"]
documents = yaml_documents(
    KEYS, ["ioc", "open311", "ngsi-ld", "cameras", "http://a.test", "Asia/Tokyo"], 4000
)


def check(text: str) -> None:
    """Either a site, or errors that point inside the text; never an exception."""
    try:
        site = SiteLoader("fuzz.site.yaml", text).load_site()
    except LayoutInvalid as invalid:
        lines = LINE_BREAK.split(text)  # an editor, like YAML, also breaks at a lone \r
        assert invalid.errors
        for error in invalid.errors:
            assert error.message.strip() and "Traceback" not in error.message
            assert 1 <= error.line <= len(lines) + 1, (error, text)
            width = len(lines[error.line - 1]) if error.line <= len(lines) else 0
            assert 1 <= error.column <= width + 1, (error, text)
        return
    assert site.enabled()


def dump(document: Any) -> str:
    out = StringIO()
    YAML(typ="safe").dump(document, out)
    return out.getvalue()


@FUZZ
@given(documents)
def test_random_structures(document: Any) -> None:
    check(dump(document))


@FUZZ
@given(st.dictionaries(st.sampled_from(KEYS), documents, max_size=4), st.integers(0, 3))
def test_near_misses_of_the_example(extra: dict[str, Any], which: int) -> None:
    site: dict[str, Any] = YAML(typ="safe").load(EXAMPLE.read_text())
    site["connections"][which].update(extra)
    check(dump(site))


@FUZZ
@given(st.text(max_size=300))
def test_random_text(text: str) -> None:
    check(text)
