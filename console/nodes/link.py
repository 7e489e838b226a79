"""One MQTT session that keeps itself up, on the console's event loop (aiomqtt).

It reconnects with a short, jittered backoff and subscribes again; what the console
published while the broker was away is sent when it is back, in the order it was
published (commands are never reordered); state topics keep only their newest value.
A node's presence is its birth message and, on a broken connection, its last will.
"""

from __future__ import annotations

import asyncio
import logging
import random
import ssl
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import aiomqtt

from console.site.broker import Broker
from console.waiting import wait_set

log = logging.getLogger(__name__)

BACKOFF_MIN_S = 0.2
BACKOFF_MAX_S = 2.0  # a broker back after a restart is found within about two seconds
MAX_PENDING = 10_000


def _stop_if_cancelled() -> None:
    """aiomqtt waits with `asyncio.wait_for`, which on Python 3.11 can swallow a
    cancellation that meets the broker's answer (CPython gh-86296, see console.waiting):
    after each of its calls, a task that was asked to stop stops."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


@dataclass(frozen=True)
class Outgoing:
    topic: str
    payload: bytes
    retain: bool = True
    coalesce: bool = False  # a state topic: only its newest value matters


class BrokerLink:
    """Publish without waiting, receive through `on_message`, hear the state in `on_state`."""

    def __init__(
        self,
        broker: Broker,
        subscriptions: list[str],
        on_message: Callable[[str, bytes, bool], None],
        *,
        password: str | None = None,
        will: Outgoing | None = None,
        births: Callable[[], list[Outgoing]] = list,
        on_state: Callable[[bool, str], None] = lambda _up, _detail: None,
        name: str = "console",
        persistent: bool = False,
    ) -> None:
        self.broker = broker
        self.subscriptions = subscriptions
        self.on_message = on_message
        self.on_state = on_state
        self.password = password
        self.will = will
        self.births = births
        # A persistent session (a node: one per name) has the broker keep what was sent
        # while it was away; anyone else gets a fresh session under a unique identifier.
        self.persistent = persistent
        self.identifier = f"ioc-{name}" if persistent else f"ioc-{name}-{uuid.uuid4().hex[:8]}"
        self.connected = False
        self._pending: deque[Outgoing] = deque()
        self._wake = asyncio.Event()
        self._sent = asyncio.Event()  # set while nothing waits to be sent
        self._sent.set()

    def publish(self, message: Outgoing) -> None:
        """Queue `message`; it is sent as soon as the broker is there."""
        if message.coalesce:
            self._pending = deque(m for m in self._pending if m.topic != message.topic)
        if len(self._pending) >= MAX_PENDING:
            dropped = self._pending.popleft()
            log.warning("broker away too long: dropped the oldest message to %s", dropped.topic)
        self._pending.append(message)
        self._sent.clear()
        self._wake.set()

    async def drain(self, timeout_s: float) -> bool:
        """Wait until everything published has been sent; False when the broker is away."""
        if not self.connected:
            return not self._pending
        return await wait_set(self._sent, timeout_s)

    async def run(self) -> None:
        """Until cancelled: connect, serve, and after any fault connect again."""
        failures = 0
        while True:
            try:
                await self._session()
            except Exception as error:  # any fault: say it once, keep trying
                detail = str(error) or type(error).__name__
                if self.connected or failures == 0:
                    expected = isinstance(error, aiomqtt.MqttError)
                    log.warning(
                        "broker %s: %s; reconnecting",
                        self.broker.url,
                        detail,
                        exc_info=None if expected else error,
                    )
                self._set_state(False, detail)
            _stop_if_cancelled()
            failures = 0 if self._had_session else failures + 1
            delay = min(BACKOFF_MIN_S * 2**failures, BACKOFF_MAX_S)
            await asyncio.sleep(delay * random.uniform(0.5, 1.0))

    async def _session(self) -> None:
        self._had_session = False
        will = self.will
        async with aiomqtt.Client(
            self.broker.host,
            self.broker.port,
            username=self.broker.username,
            password=self.password,
            identifier=self.identifier,
            clean_session=not self.persistent,
            keepalive=10,  # a cut cable is noticed, and the will sent, within about 15 s
            will=aiomqtt.Will(will.topic, will.payload, qos=1, retain=will.retain)
            if will
            else None,
            tls_context=self._tls(),
            timeout=5,
        ) as client:
            for topic in self.subscriptions:
                await client.subscribe(topic, qos=1)
                _stop_if_cancelled()
            for birth in self.births():
                await client.publish(birth.topic, birth.payload, qos=1, retain=birth.retain)
                _stop_if_cancelled()
            self._had_session = True
            self._set_state(True, "")
            # Not a TaskGroup: on 3.11 one whose child fails leaves its parent marked as
            # cancelling, which _stop_if_cancelled would take for a real cancellation.
            jobs = {
                asyncio.create_task(self._receive(client)),
                asyncio.create_task(self._send(client)),
            }
            try:
                done, _ = await asyncio.wait(jobs, return_when=asyncio.FIRST_COMPLETED)
                for job in done:
                    job.result()  # the fault that ended the session
            finally:
                for job in jobs:
                    job.cancel()
                await asyncio.gather(*jobs, return_exceptions=True)

    async def _receive(self, client: aiomqtt.Client) -> None:
        async for message in client.messages:
            payload = message.payload
            if not isinstance(payload, bytes | bytearray):
                continue  # aiomqtt gives bytes for every message it received
            try:
                self.on_message(message.topic.value, bytes(payload), bool(message.retain))
            except Exception:  # a handler's bug must not end the session
                log.exception("handling %s", message.topic.value)
        raise aiomqtt.MqttError("the broker closed the connection")

    async def _send(self, client: aiomqtt.Client) -> None:
        while True:
            while self._pending:
                message = self._pending[0]
                await client.publish(message.topic, message.payload, qos=1, retain=message.retain)
                _stop_if_cancelled()
                if self._pending and self._pending[0] is message:
                    self._pending.popleft()
            self._sent.set()
            self._wake.clear()
            await self._wake.wait()

    def _tls(self) -> ssl.SSLContext | None:
        if not self.broker.tls:
            return None
        cafile = str(self.broker.ca_bundle) if self.broker.ca_bundle else None
        return ssl.create_default_context(cafile=cafile)

    def _set_state(self, connected: bool, detail: str) -> None:
        if connected != self.connected or not connected:
            self.connected = connected
            self.on_state(connected, detail)

    _had_session = False
