"""The site file's broker: checked like every connection, credentials by reference only."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.nodes.site import broker_for, topics_for
from console.site.loader import load_site, validate_site

HEAD = 'version: 1\nname: "Bình Phước"\nconnections:\n  - {name: p, kind: ioc, url: "http://x"}\n'


def errors(tmp_path: Path, broker: str) -> list[str]:
    path = tmp_path / "w.site.yaml"
    path.write_text(HEAD + broker, encoding="utf-8")
    return [str(error) for error in validate_site(path)]


@pytest.mark.parametrize(
    ("broker", "said"),
    [
        ('broker: {url: "http://b"}', "must be mqtt://host[:port]"),
        ('broker: {url: "mqtt://"}', "must be mqtt://host[:port]"),
        ('broker: {url: "mqtt://b", password: hunter2}', "never written in a site file"),
        ('broker: {url: "mqtt://b", topic_prefx: a}', "did you mean 'topic_prefix'"),
        ('broker: {url: "mqtt://b", topic_prefix: "a/#"}', "topic_prefix"),
        ('broker: {url: "mqtt://b", password: {env: "1A"}}', "not an environment variable"),
    ],
)
def test_a_broken_broker_entry_is_refused_on_its_line(
    tmp_path: Path, broker: str, said: str
) -> None:
    found = errors(tmp_path, broker + "\n")
    assert found and said in found[0] and ":5:" in found[0], found


def test_the_broker_its_topics_and_a_relative_ca_bundle(tmp_path: Path) -> None:
    path = tmp_path / "w.site.yaml"
    path.write_text(HEAD + 'broker: {url: "mqtts://wall.example", ca_bundle: ca.pem}\n', "utf-8")
    site = load_site(path)
    assert site.broker is not None
    assert (site.broker.host, site.broker.port, site.broker.tls) == ("wall.example", 8883, True)
    assert site.broker.ca_bundle == tmp_path / "ca.pem"
    assert topics_for(site, site.broker).prefix == "ioc/binh-phuoc"  # one safe topic level
    moved = broker_for(site, "mqtt://127.0.0.1:1999")
    assert moved is not None and (moved.port, moved.tls, moved.ca_bundle) == (
        1999,
        False,
        tmp_path / "ca.pem",
    )
    assert broker_for(site.model_copy(update={"broker": None})) is None
