"""A backend that answers with far too much: refused in words, closed cleanly, no retry storm.

The hostile-input test saw a chunked 50 MB reply refused correctly, but with 16
"Exception ignored" tracebacks and 20 MB downloaded again on every retry.
"""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import pytest

from console.sources.ioc.api import MAX_BODY, BackendError, IocApi
from tests.conftest import run_on_qt_loop

CHUNK = b"[" + b" " * 65_535


async def chunked_flood(sent: list[int]) -> tuple[asyncio.Server, str]:
    """A loopback server answering every request with 50 MB of chunked JSON-ish bytes."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while (await reader.readline()) not in (b"\r\n", b"\n", b""):
            pass
        writer.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
            b"transfer-encoding: chunked\r\n\r\n"
        )
        try:
            for _ in range(50_000_000 // len(CHUNK)):
                writer.write(b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK))
                sent[0] += len(CHUNK)
                await writer.drain()
        except (ConnectionError, OSError):
            pass  # the client hung up: what it should do
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_a_chunked_flood_is_refused_without_stray_tracebacks(
    qapp: Any, capfd: pytest.CaptureFixture[str]
) -> None:
    sent = [0]

    async def scenario() -> None:
        server, url = await chunked_flood(sent)
        api = IocApi(url)
        try:
            for _ in range(3):
                with pytest.raises(BackendError, match="too large"):
                    await api.cameras()
        finally:
            await api.aclose()
            server.close()
            await server.wait_closed()

    run_on_qt_loop(qapp, scenario())
    gc.collect()  # stray generators would report "Exception ignored" now
    assert "Exception ignored" not in capfd.readouterr().err
    # Each refusal stops reading soon after the cap (socket buffers aside), not at 50 MB.
    assert sent[0] < 3 * (MAX_BODY + 8_000_000)
