"""ONVIF PTZ end to end: onvif-zeep-async against the demo's ONVIF device, on the qasync loop.

The demo serves the same PTZ state over ONVIF as over its native API, so "an ONVIF move
turned the camera" is checked the way tests/test_ptz.py checks native moves: the snapshot of
a frame index differs from the unmoved one. Hostile SOAP bodies must come back as a fault or
a 400, never a crash and never an expanded entity.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from typing import TypeVar

import httpx
import pytest
from defusedxml.ElementTree import fromstring
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from onvif import ONVIFCamera

from console.demo.access import Access
from console.demo.onvif import DEFAULT_PASSWORD, USER
from console.demo.onvif_soap import ENV, MAX_BODY
from console.demo.ptz import PRESET_NAME_MAX, PRESETS_MAX, PTZ_CAMERAS
from console.demo.server import DemoServer
from console.site.model import StaticCamera
from console.sources.cameras_link import to_camera
from console.sources.ioc.ptz import PtzRefused
from console.sources.onvif_ptz import WSDL_DIR, OnvifLogin, OnvifPtz
from tests.test_ptz import TOKENS, client, snapshot, unmoved

CAM = PTZ_CAMERAS[0]
LOGIN = OnvifLogin(USER, DEFAULT_PASSWORD)
T = TypeVar("T")


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    os.environ.pop("IOC_DEMO_ONVIF_PASSWORD", None)
    with DemoServer(seed=5, access=Access(tokens=dict(TOKENS))) as demo:
        with httpx.Client(base_url=demo.url) as http:
            for camera in PTZ_CAMERAS:  # the simulation must not take them offline
                http.post(f"/api/v1/demo/cameras/{camera}/status", json={"status": "online"})
        yield demo


def run(loop: asyncio.AbstractEventLoop, work: Callable[[], Awaitable[T]]) -> T:
    async def bounded() -> T:
        return await asyncio.wait_for(work(), 90)

    return loop.run_until_complete(bounded())


def run_closing(
    loop: asyncio.AbstractEventLoop, ptz: OnvifPtz, scenario: Callable[[], Awaitable[T]]
) -> T:
    """`scenario` on the loop, and the client closed after it whatever happened."""

    async def closing() -> T:
        try:
            return await scenario()
        finally:
            await ptz.aclose()

    return run(loop, closing)


def address(server: DemoServer, camera: str = CAM) -> str:
    return f"{server.url}/onvif/device_service#{camera}"


def test_the_library_reads_the_device_profiles_and_stream(
    loop: asyncio.AbstractEventLoop, server: DemoServer
) -> None:
    async def scenario() -> None:
        port = int(server.url.rsplit(":", 1)[1])
        camera = ONVIFCamera("127.0.0.1", port, USER, DEFAULT_PASSWORD, WSDL_DIR, no_cache=True)
        camera.adjust_time = True  # GetSystemDateAndTime, unauthenticated, first
        try:
            await camera.update_xaddrs()
            device = await camera.create_devicemgmt_service()
            assert (await device.GetDeviceInformation()).Model == "PTZ simulator"
            media = await camera.create_media_service()
            listed = httpx.get(
                f"{server.url}/api/v1/cameras", headers={"Authorization": "Bearer view"}
            )
            onvif = {c["id"]: c["onvif"] for c in listed.json()["items"] if c["onvif"]}
            assert onvif == {c: f"{server.url}/onvif/device_service#{c}" for c in PTZ_CAMERAS}
            tokens = [p.token for p in await media.GetProfiles()]
            assert tokens == list(PTZ_CAMERAS)
            setup = {"Stream": "RTP-Unicast", "Transport": {"Protocol": "HTTP"}}
            uri = await media.GetStreamUri({"ProfileToken": CAM, "StreamSetup": setup})
            assert uri.Uri == f"{server.url}/video/{CAM}/main.mjpg"
        finally:
            await camera.close()

    run(loop, scenario)
    assert not os.path.exists(os.path.expanduser("~/.cache/zeep"))  # no zeep cache written


def test_onvif_moves_turn_the_picture_within_300_ms_stop_presets_and_goto(
    loop: asyncio.AbstractEventLoop, server: DemoServer
) -> None:
    ptz = OnvifPtz(address(server), LOGIN)
    latencies: list[float] = []

    async def scenario() -> None:
        # the native client acts as the same operator, so holding never gets in the way
        with client(server, "op-an", USER) as http:
            frames = unmoved(http)
            assert set(await ptz.presets()) >= {"home", "left", "close-up"}
            for i in range(20):
                sent = time.perf_counter()
                assert (await ptz.move(1.0 if i % 2 == 0 else -1.0, 0.0, 0.0)).moving
                while True:
                    index, jpeg = snapshot(http)
                    if jpeg != frames[index]:
                        break
                    assert time.perf_counter() - sent < 2.0, "the picture did not move"
                latencies.append(time.perf_counter() - sent)
                assert not (await ptz.stop()).moving
                await ptz.goto("home")
            await ptz.move(0.0, 1.0, 0.0)
            native = http.get(f"/api/v1/cameras/{CAM}/ptz").json()
            assert native["moving"] and native["holder"]["operator"] == USER
            stopped = await ptz.stop()
            assert not stopped.moving and stopped.tilt > 0
            assert http.get(f"/api/v1/cameras/{CAM}/ptz").json()["position"]["tilt"] == stopped.tilt
            close_up = await ptz.goto("close-up")
            assert (close_up.pan, close_up.tilt) == (0.3, -0.2) and close_up.zoom == pytest.approx(
                2 / 3
            )
            assert http.get(f"/api/v1/cameras/{CAM}/ptz").json()["position"]["zoom"] == 3.0
            with pytest.raises(PtzRefused, match="no preset 'nowhere'"):
                await ptz.goto("nowhere")
            await ptz.goto("home")

    run_closing(loop, ptz, scenario)
    p50, p95 = statistics.median(latencies), statistics.quantiles(latencies, n=20)[18]
    print(f"ONVIF PTZ command -> picture moving: p50 {p50 * 1e3:.0f} ms, p95 {p95 * 1e3:.0f} ms")


def test_onvif_saves_a_preset_where_the_camera_is_and_refuses_bad_names_in_words(
    loop: asyncio.AbstractEventLoop, server: DemoServer
) -> None:
    """The tile's "Save current position as…" over ONVIF: SetPreset, then GotoPreset."""
    ptz = OnvifPtz(address(server), LOGIN)

    async def scenario() -> None:
        with client(server, "op-an", USER) as http:
            base = f"/api/v1/cameras/{CAM}/ptz"
            await ptz.goto("home")
            await ptz.move(0.0, 1.0, 0.0)
            while http.get(base).json()["position"]["tilt"] < 0.2:
                pass
            spot = await ptz.stop()
            assert "Cổng trường" in await ptz.save("Cổng trường")
            await ptz.goto("home")
            back = await ptz.goto("Cổng trường")
            assert (back.pan, back.tilt) == (spot.pan, spot.tilt)
            assert http.get(base).json()["position"]["tilt"] == spot.tilt  # the same camera
            await ptz.goto("home")
            names = await ptz.save("Cổng trường")  # again: moved, not doubled
            assert names.count("Cổng trường") == 1
            assert (await ptz.goto("Cổng trường")).tilt == 0.0
            for bad in ("a/b", "x" * (PRESET_NAME_MAX + 1), "   "):
                with pytest.raises(PtzRefused, match="cannot name a preset"):
                    await ptz.save(bad)
            for n in range(PRESETS_MAX - len(await ptz.presets())):
                await ptz.save(f"spot {n}")
            with pytest.raises(PtzRefused, match=f"keeps {PRESETS_MAX} presets"):
                await ptz.save("one too many")
            assert len(await ptz.presets()) == PRESETS_MAX
            await ptz.goto("home")

    run_closing(loop, ptz, scenario)


def test_a_wrong_password_a_held_camera_and_no_device_are_refused_in_words(
    loop: asyncio.AbstractEventLoop, server: DemoServer
) -> None:
    async def scenario() -> None:
        wrong = OnvifPtz(address(server), OnvifLogin(USER, "not-the-password"))
        with pytest.raises(PtzRefused, match="refused the ONVIF user name or password") as error:
            await wrong.status()
        assert error.value.status == 401
        await wrong.aclose()
        with client(server, "op-binh", "binh") as binh:  # binh holds the other camera
            assert binh.post(f"/api/v1/cameras/{PTZ_CAMERAS[1]}/ptz/stop").status_code == 200
        held = OnvifPtz(address(server, PTZ_CAMERAS[1]), LOGIN)
        with pytest.raises(PtzRefused, match="is held by binh until") as error:
            await held.move(0.5, 0.0, 0.0)
        assert error.value.status == 409
        await held.aclose()
        nobody = OnvifPtz("http://127.0.0.1:9/onvif/device_service", LOGIN)
        with pytest.raises(PtzRefused, match="cannot reach the ONVIF service"):
            await nobody.status()
        odd = OnvifPtz("ftp://camera/", LOGIN)
        with pytest.raises(PtzRefused, match="is not http"):
            await odd.stop()

    run(loop, scenario)


def test_a_site_file_camera_carries_its_onvif_address_but_never_a_literal_secret() -> None:
    entry = StaticCamera.model_validate(
        {
            "id": "gate",
            "name": "Gate",
            "url": "http://cam/main.mjpg",
            "onvif": "http://cam:8080/onvif/device_service",
            "onvif_user": {"env": "GATE_ONVIF_USER"},
            "onvif_password": {"keyring": "gate-onvif"},
        }
    )
    assert to_camera(entry).onvif == "http://cam:8080/onvif/device_service"
    with pytest.raises(ValueError, match="never written in a site file"):
        StaticCamera.model_validate({**entry.model_dump(), "onvif_password": "secret"})
    with pytest.raises(ValueError, match="names 'onvif_user' and 'onvif_password'"):
        StaticCamera.model_validate(
            {"id": "g", "name": "G", "url": "http://c/", "onvif": "http://c/"}
        )


def signed(operation: str) -> str:
    """A SOAP 1.2 envelope with a good UsernameToken digest around `operation`."""
    nonce = os.urandom(16)
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    digest = hashlib.sha1(nonce + created.encode() + DEFAULT_PASSWORD.encode()).digest()
    wsse = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
    return (
        f'<e:Envelope xmlns:e="{ENV}" xmlns:w="{wsse}" xmlns:p="http://www.onvif.org/ver20/ptz/wsdl"'
        ' xmlns:tt="http://www.onvif.org/ver10/schema"><e:Header><w:Security><w:UsernameToken>'
        f"<w:Username>{USER}</w:Username><w:Password>{base64.b64encode(digest).decode()}"
        f"</w:Password><w:Nonce>{base64.b64encode(nonce).decode()}</w:Nonce>"
        f"<w:Created>{created}</w:Created></w:UsernameToken></w:Security></e:Header>"
        f"<e:Body>{operation}</e:Body></e:Envelope>"
    )


BOMB = (
    '<?xml version="1.0"?><!DOCTYPE e:Envelope [<!ENTITY a "EXPANDED">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
)
EXTERNAL = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a SYSTEM "file:///etc/passwd">]>'
HOSTILE = [
    BOMB + signed("<p:GetStatus><p:ProfileToken>&c;</p:ProfileToken></p:GetStatus>"),
    EXTERNAL + signed("<p:GetStatus><p:ProfileToken>&a;</p:ProfileToken></p:GetStatus>"),
    signed(
        "<p:ContinuousMove><p:ProfileToken>CAM-04</p:ProfileToken><p:Velocity>"
        '<tt:PanTilt x="nan" y="1e999"/></p:Velocity></p:ContinuousMove>'
    ),
    signed("<p:GotoPreset><p:ProfileToken>CAM-99</p:ProfileToken></p:GotoPreset>"),
    signed("<p:Reboot/>"),
    signed("<x>" * 5000 + "</x>" * 5000),
    "<e:Envelope xmlns:e='http://schemas.xmlsoap.org/soap/envelope/'><e:Body/></e:Envelope>",
    signed("<p:Stop/>").replace("<w:Nonce>", "<w:Nonce>!!"),
    signed("<p:Stop><p:ProfileToken>" + "A" * MAX_BODY + "</p:ProfileToken></p:Stop>"),
]


def check_answer(http: httpx.Client, body: bytes | str, service: str = "ptz") -> None:
    answer = http.post(f"/onvif/{service}_service", content=body)
    assert answer.status_code in (200, 400, 500), answer.status_code
    assert b"EXPANDED" not in answer.content and b"root:" not in answer.content
    if answer.status_code != 200:
        reply = fromstring(answer.content)  # a SOAP fault, never a stack trace
        assert reply.find(f"{{{ENV}}}Body/{{{ENV}}}Fault") is not None, answer.text


def test_hostile_soap_bodies_get_a_fault_never_a_crash_or_an_expansion(server: DemoServer) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        for body in HOSTILE:
            check_answer(http, body)
        xml_ish = st.text(alphabet=st.sampled_from(list("<>/=\"'&;!?[]:ab e")), max_size=300)
        tails = st.one_of(st.binary(max_size=2000), xml_ish.map(str.encode))
        operations = st.sampled_from(["GetStatus", "ContinuousMove", "Stop", "GotoPreset", "X"])

        @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(tails, operations, st.sampled_from(["device", "media", "ptz", "nope"]))
        def hostile(tail: bytes, operation: str, service: str) -> None:
            check_answer(http, tail, service)
            inner = tail.decode("utf-8", "replace").replace("]]>", "")
            check_answer(http, signed(f"<p:{operation}><![CDATA[{inner}]]></p:{operation}>"))

        hostile()
        assert http.get(f"/api/v1/demo/cameras/{CAM}/status").status_code != 500
        check_answer(
            http, signed(f"<p:GetStatus><p:ProfileToken>{CAM}</p:ProfileToken></p:GetStatus>")
        )
