"""A loopback HTTP proxy between the console and the demo backend that injects faults.

Set `proxy.fault` to one of FAULTS; changing it cuts the streams already open (SSE,
video), so the console meets the fault at once, as it would when a backend breaks.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from console.demo.serving import ThreadedServer

FAULTS = (
    "latency",  # every answer 0.5 s late (below the client timeout)
    "timeout",  # no answer before the client gives up
    "http_500",
    "http_502",
    "http_503",
    "reset",  # the connection drops right after the headers
    "truncated",  # half a body, then the connection drops
    "malformed_json",
    "unexpected_fields",  # extra fields everywhere: must be ignored
    "missing_fields",  # records without their ids: must be rejected
    "huge_body",  # 50 MB
    "sse_cut",  # the event stream stops in the middle of an event
    "endless_line",  # the event stream sends bytes but never a line end
    "deep_json",  # every answer nested 100,000 levels deep
    "huge_revision",  # every other incident with a revision of 2**63 (beyond int64)
    "bad_dates",  # every other record with times in year 9999, or year 1 at +14:00
)
HOP_HEADERS = {"content-length", "transfer-encoding", "connection", "content-encoding"}


class FaultProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.fault = ""
        self.requests = 0
        self._open: set[asyncio.Event] = set()
        self._server = ThreadedServer("fault-proxy")
        self._client: httpx.AsyncClient | None = None

    def start(self) -> str:
        app = Starlette(routes=[Route("/{path:path}", self._forward, methods=["GET", "POST"])])
        return self._server.start(app)

    def stop(self) -> None:
        self._server.stop(before=self._cut_all)

    def set_fault(self, fault: str) -> None:
        self.fault = fault
        self._server.call_soon(self._cut_all)

    def _cut_all(self) -> None:
        for cut in list(self._open):
            cut.set()

    async def _forward(self, request: Request) -> Response:
        self.requests += 1
        fault = self.fault
        if self._client is None:
            self._client = httpx.AsyncClient(base_url=self.upstream, timeout=None)
        if fault == "timeout":
            await asyncio.sleep(60)
        if fault == "latency":
            await asyncio.sleep(0.5)
        if fault.startswith("http_"):
            return Response(f"injected {fault}", status_code=int(fault[5:]))
        if fault == "reset":
            return StreamingResponse(_drop_after(b""), media_type="application/json")
        upstream = self._client.build_request(
            request.method,
            request.url.path,
            params=request.query_params,
            headers={k: v for k, v in request.headers.items() if k.lower() != "host"},
            content=await request.body(),
        )
        response = await self._client.send(upstream, stream=True)
        headers = {k: v for k, v in response.headers.items() if k.lower() not in HOP_HEADERS}
        kind = response.headers.get("content-type", "")
        if "json" not in kind:  # SSE, video: stream it until the fault changes
            return StreamingResponse(
                self._relay(response, fault), status_code=response.status_code, headers=headers
            )
        body = await response.aread()
        await response.aclose()
        return _spoil(body, fault, response.status_code, headers)

    async def _relay(self, response: httpx.Response, fault: str) -> AsyncIterator[bytes]:
        cut = asyncio.Event()
        self._open.add(cut)
        try:
            if fault == "sse_cut":
                yield b'event: incident.created\nid: 999999\ndata: {"id": "INC-'
                return
            if fault == "endless_line":
                yield b"data: "
                while not cut.is_set():  # until the fault changes or the client gives up
                    yield b"x" * 65536
                    await asyncio.sleep(0.01)
                return
            chunks = response.aiter_raw().__aiter__()
            while not cut.is_set():
                next_chunk = asyncio.ensure_future(chunks.__anext__())
                stop = asyncio.ensure_future(cut.wait())
                done, _ = await asyncio.wait(
                    {next_chunk, stop}, return_when=asyncio.FIRST_COMPLETED
                )
                if next_chunk not in done:
                    next_chunk.cancel()
                    break
                stop.cancel()
                try:
                    yield next_chunk.result()
                except StopAsyncIteration:
                    break
        finally:
            self._open.discard(cut)
            await response.aclose()


async def _drop_after(first: bytes) -> AsyncIterator[bytes]:
    if first:
        yield first
    raise ConnectionResetError("injected: connection dropped")


def _spoil(body: bytes, fault: str, status: int, headers: dict[str, str]) -> Response:
    if fault == "truncated":
        return StreamingResponse(_drop_after(body[: len(body) // 2]), status_code=status)
    if fault == "malformed_json":
        return Response(b"{'items': [oops", status_code=status, media_type="application/json")
    if fault == "huge_body":
        padding = b" " * 50_000_000
        return Response(
            body[:-1] + padding + body[-1:], status_code=status, media_type="application/json"
        )
    if fault == "deep_json":
        return Response(b'{"items": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", status_code=status)
    if fault in ("unexpected_fields", "missing_fields", "huge_revision", "bad_dates"):
        data = json.loads(body)
        records: list[Any] = data.get("items", []) if isinstance(data, dict) else []
        for index, record in enumerate(records):
            if isinstance(record, dict):
                if fault == "missing_fields":
                    record.pop("id", None)
                elif index % 2 == 0 and fault in ("huge_revision", "bad_dates"):
                    pass  # every other record: the good ones must still arrive
                elif fault == "huge_revision" and "revision" in record:
                    record["revision"] = 2**63 + record["revision"]
                elif fault == "bad_dates" and "created_at" in record:
                    record["created_at"] = "9999-12-31T23:59:59Z"
                    record["updated_at"] = "0001-01-01T00:00:00+14:00"
                elif fault == "bad_dates" and "updated_at" in record:  # KPIs
                    record["updated_at"] = "9999-12-31T23:59:59Z"
                else:
                    record["x_vendor_extension"] = {"nested": [1, 2, 3]}
        return Response(json.dumps(data), status_code=status, media_type="application/json")
    return Response(body, status_code=status, headers=headers)
