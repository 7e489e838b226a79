"""One controller, eight wall nodes (separate processes) on a real mosquitto.

    python -m tests.bench.wall_sync --json [--nodes 8] [--rounds 20]

Each node is `python -m ioc_console --site … --node node-N` on Qt's offscreen platform
with a light two-preset layout (tests/fixtures/node-presets.yaml), fed by one demo
backend. Figures:
- switch_ms: command issued → the node switched its preset and repainted its windows
  (the node stamps `painted_at` after the synchronous repaint; one clock, one machine),
  for every node of every round (a round commands all nodes at once).
- resync_s: the broker is killed (`kill -9`), every node gets three commands meanwhile
  (queued by the controller's link), the broker restarts; per node, broker back → the
  node shows the last of them. `lost_commands`: nodes not on their last command;
  `misordered`: a node seen going back to an older command.
- baseline_ms: the same controller's bare broker round trip (publish → hear it back)
  in the same run; `ratio` = switch p95 / baseline p95.
- slide_ms: a meeting's slide change → every seat painted. The benchmark presents (it
  publishes the deck and each slide's state as `present --meeting` does, one change a
  second through the shipped weekly briefing) to N `ioc-console join` processes, which
  log each state's time from sent to painted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[2]
PRESETS = ROOT / "tests" / "fixtures" / "node-presets.yaml"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def write_site(folder: Path, demo_url: str, broker_url: str) -> Path:
    site = folder / "bench.site.yaml"
    site.write_text(
        "version: 1\nname: bench-wall\nconnections:\n"
        f'  - {{name: province, kind: ioc, url: "{demo_url}"}}\n'
        f'broker: {{url: "{broker_url}"}}\n',
        encoding="utf-8",
    )
    return site


def start_nodes(count: int, site: Path, folder: Path) -> list[subprocess.Popen[bytes]]:
    nodes = []
    for n in range(count):
        env = {**os.environ, "XDG_DATA_HOME": str(folder / f"data-{n}")}
        env["XDG_CONFIG_HOME"] = str(folder / f"config-{n}")
        command = [sys.executable, "-m", "ioc_console", "--site", str(site)]
        command += ["--node", f"node-{n}", "--layout", str(PRESETS), "--preset", "node-a"]
        command += ["--exit-after", "900", "--log-level", "WARNING"]
        log = (folder / f"node-{n}.log").open("ab")
        with log:
            nodes.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log))
    return nodes


async def until(condition: Any, timeout: float, what: str) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.005)  # the benchmark's own poll: 5 ms resolution


async def measure(broker: Any, names: list[str], rounds: int) -> dict[str, Any]:
    from console.nodes.link import BrokerLink, Outgoing
    from console.nodes.messages import encode
    from console.nodes.roster import NodeRoster
    from console.nodes.topics import Topics
    from console.site.broker import Broker

    topics = Topics("ioc/bench-wall")
    roster = NodeRoster(topics)
    echo: list[float] = []
    applied: dict[str, list[int]] = {name: [] for name in names}

    def heard(topic: str, payload: bytes, retained: bool) -> None:
        if topic == "bench/echo":
            echo.append(time.time() - float(payload))
            return
        roster.on_message(topic, payload, retained)
        parsed = topics.parse_node(topic)
        if parsed and parsed[1] == "showing" and parsed[0] in applied:
            view = roster.nodes[parsed[0]]
            if view.showing is not None:
                applied[parsed[0]].append(view.showing.applied_seq)

    link = BrokerLink(
        Broker(url=broker.url), [*roster.subscriptions(), "bench/echo"], heard, name="bench"
    )
    task = asyncio.create_task(link.run())

    def seq_of(name: str) -> int:
        view = roster.nodes.get(name)
        return view.showing.applied_seq if view and view.showing else -1

    def send(name: str, preset: str) -> Any:
        desired = roster.command(name, "bench", "operator", preset=preset)
        link.publish(Outgoing(topics.node(name, "desired"), encode(desired)))
        return desired

    await until(lambda: all(seq_of(name) >= 0 for name in names), 180, "nodes up")
    for _ in range(100):
        before = len(echo)
        link.publish(Outgoing("bench/echo", str(time.time()).encode(), retain=False))
        await until(lambda before=before: len(echo) > before, 5, "echo")
    switch: list[float] = []
    for r in range(rounds):
        sent = {name: send(name, "node-b" if r % 2 == 0 else "node-a") for name in names}
        await until(lambda sent=sent: all(seq_of(n) == sent[n].seq for n in names), 30, "switch")
        for name in names:
            showing = roster.nodes[name].showing
            assert showing is not None
            switch.append((showing.painted_at - sent[name].issued_at) * 1000)

    broker.kill()
    await until(lambda: not link.connected, 10, "link down")
    last = {name: [send(name, p) for p in ("node-b", "node-a", "node-b")][-1] for name in names}
    broker.start()
    back = time.time()
    converged: dict[str, float] = {}

    def all_converged() -> bool:
        for name in names:
            if name not in converged and seq_of(name) == last[name].seq:
                converged[name] = time.time() - back
        return len(converged) == len(names)

    with contextlib.suppress(TimeoutError):  # counted below as lost commands
        await until(all_converged, 60, "resync")
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    misordered = sum(1 for seqs in applied.values() for a, b in itertools.pairwise(seqs) if b < a)
    baseline = p95([e * 1000 for e in echo])
    resync = list(converged.values())
    return {
        "nodes": len(names),
        "rounds": rounds,
        "switch_ms_p50": round(statistics.median(switch), 1),
        "switch_ms_p95": round(p95(switch), 1),
        "switch_ms_max": round(max(switch), 1),
        "baseline_ms_p95": round(baseline, 2),
        "ratio": round(p95(switch) / baseline, 1) if baseline > 0 else None,
        "resync_s_p95": round(p95(resync), 2) if resync else None,
        "resync_s_max": round(max(resync), 2) if resync else None,
        "lost_commands": sum(1 for name in names if seq_of(name) != last[name].seq),
        "misordered": misordered,
    }


async def measure_slides(broker: Any, site: Path, seats: int, changes: int) -> dict[str, Any]:
    """Present the weekly briefing to `seats` seats; per change, sent → painted per seat."""
    import re
    import uuid

    from console.nodes.link import BrokerLink, Outgoing
    from console.nodes.meeting import MeetingState, deck_message
    from console.nodes.messages import encode
    from console.nodes.topics import Topics
    from console.site.broker import Broker

    text = (ROOT / "layouts" / "weekly-briefing.deck.yaml").read_text(encoding="utf-8")
    deck = deck_message("bench", text)
    slides = len(re.findall(r"^  - title:", text, re.M)) or 1
    topics = Topics("ioc/bench-wall")
    link = BrokerLink(Broker(url=broker.url), [], lambda *_: None, name="bench-presenter")
    task = asyncio.create_task(link.run())
    link.publish(Outgoing(topics.meeting("bench", "deck"), encode(deck)))
    shown: dict[int, list[float]] = {}
    command = [sys.executable, "-m", "ioc_console", "join", "bench", "--site", str(site)]
    command += ["--windowed", "--log-level", "DEBUG", "--exit-after", "900"]
    processes = [
        await asyncio.create_subprocess_exec(
            *command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
        )
        for _ in range(seats)
    ]
    pattern = re.compile(rb"state (\d+), slide \d+, on screen ([\d.]+) ms")

    async def read(process: Any) -> None:
        async for line in process.stderr:
            found = pattern.search(line)
            if found:
                shown.setdefault(int(found[1]), []).append(float(found[2]))

    readers = [asyncio.create_task(read(process)) for process in processes]
    session = uuid.uuid4().hex[:16]
    times: list[float] = []
    try:
        for seq in range(1, changes + 2):
            state = MeetingState(
                meeting="bench",
                seq=seq,
                presenter=session,
                deck=deck.digest,
                title="bench",
                slide=(seq - 1) % slides,
                slides=slides,
            )
            link.publish(Outgoing(topics.meeting("bench", "state"), encode(state), coalesce=True))
            wait = 180 if seq == 1 else 20  # the first: seats start and load the deck
            await until(lambda seq=seq: len(shown.get(seq, [])) >= seats, wait, "slide")
            if seq > 1:
                times += shown[seq]
            await asyncio.sleep(1.0)  # a presenter's pace, not a synchronisation
    finally:
        for process in processes:
            process.terminate()
        await asyncio.gather(*(process.wait() for process in processes))
        for reader in readers:
            reader.cancel()
        task.cancel()
        await asyncio.gather(task, *readers, return_exceptions=True)
    return {
        "seats": seats,
        "slide_changes": changes,
        "slide_ms_p50": round(statistics.median(times), 1),
        "slide_ms_p95": round(p95(times), 1),
        "slide_ms_max": round(max(times), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--slides", type=int, default=30, help="slide changes to time")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from console.demo.broker import LocalBroker, stop_all
    from console.demo.server import DemoServer

    with tempfile.TemporaryDirectory(prefix="wall-sync-") as tmp, DemoServer() as demo:
        folder = Path(tmp)
        broker = LocalBroker(folder / "broker")
        broker.start()
        site = write_site(folder, demo.url, broker.url)
        nodes = start_nodes(args.nodes, site, folder)
        try:
            names = [f"node-{n}" for n in range(args.nodes)]
            result = asyncio.run(measure(broker, names, args.rounds))
        finally:
            stop_all(nodes)
        try:
            result |= asyncio.run(measure_slides(broker, site, args.nodes, args.slides))
        finally:
            broker.stop()
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
