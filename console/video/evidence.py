"""Evidence export: recorded clips and snapshots of chosen cameras, with a hashed manifest.

An export may end up in court, so it is all or nothing: every file is written into a
`.partial` sibling and renamed into place only when the manifest is written; a cancel or
any failure removes the sibling. The manifest lists each file's SHA-256 and size, and the
caller records the manifest's own SHA-256 elsewhere (the audit log), so `verify` can tell
later whether anything was changed. The snapshot is the backend's picture at export time
(the native API has no still of a past moment); the clip is the recorded evidence.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import re
import shutil
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any, Protocol
from urllib.parse import quote

import httpx

from console.video.playback import clip_url

FORMAT = "ioc-console-evidence/1"
MANIFEST = "manifest.json"
CHUNK = 1 << 16
SNAPSHOT_NOTE = "at export time (the current picture, not the clip's start)"
TIMEOUT = httpx.Timeout(30.0, read=120.0)  # a long clip is remuxed while it streams


class Recorder(Protocol):
    """What the export needs of a connection's native API (IocApi has both)."""

    base_url: str
    client: httpx.AsyncClient


@dataclass(frozen=True)
class EvidenceCamera:
    id: str  # the id the backend knows (a camera's local id)
    name: str


@dataclass
class Progress:
    """Bytes so far; `expected` counts only answers that declared their length."""

    done: int = 0
    expected: int = 0
    files_done: int = 0
    files_total: int = 0
    current: str = ""


class ExportError(Exception):
    """The export failed; nothing was left behind. The message says why."""


class ExportCancelled(ExportError):
    """The operator cancelled; nothing was left behind."""


def tool_version() -> str:
    with contextlib.suppress(metadata.PackageNotFoundError):
        return metadata.version("ioc-console")
    return "unknown"


def _times(moment: datetime, zone: tzinfo) -> dict[str, str]:
    """A time both ways: UTC for machines, province time for the people reading it."""
    return {
        "utc": moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "local": moment.astimezone(zone).isoformat(timespec="milliseconds"),
    }


def _spans(header: str, zone: tzinfo) -> list[dict[str, dict[str, str]]]:
    """X-Recorded-Spans ("start/end,start/end") in both zones; garbage is left out."""
    spans = []
    for item in header.split(","):
        start, _, end = item.strip().partition("/")
        try:
            begin, finish = datetime.fromisoformat(start), datetime.fromisoformat(end)
        except ValueError:
            continue
        begin, finish = (t if t.tzinfo else t.replace(tzinfo=UTC) for t in (begin, finish))
        spans.append({"start": _times(begin, zone), "end": _times(finish, zone)})
    return spans


def _file_name(camera_id: str, taken: set[str]) -> str:
    """A camera id as a safe, unique file stem (ids may hold any character)."""
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", camera_id).strip(".") or "camera"
    name, n = stem, 1
    while name.lower() in taken:
        n += 1
        name = f"{stem}_{n}"
    taken.add(name.lower())
    return name


@dataclass
class _Run:
    """One export's state: where files go, what was written, how far it got."""

    api: Recorder
    folder: Path
    progress: Progress
    report: Callable[[Progress], None]
    cancelled: Callable[[], bool]
    files: list[dict[str, Any]] = field(default_factory=list)

    def check(self) -> None:
        if self.cancelled():
            raise ExportCancelled("export cancelled")

    async def download(self, url: str, name: str, what: str) -> httpx.Headers:
        """Stream `url` into `name`, hashing as it goes; an error status is an ExportError."""
        self.progress.current = what
        self.check()
        digest, size = hashlib.sha256(), 0
        try:
            async with self.api.client.stream("GET", url, timeout=TIMEOUT) as response:
                if response.status_code != 200:
                    body = (await response.aread())[:300].decode(errors="replace")
                    raise ExportError(
                        f"{what}: the backend answered {response.status_code}"
                        f"{': ' + _detail(body) if body else ''}"
                    )
                declared = int(response.headers.get("content-length") or 0)
                self.progress.expected += declared
                with (self.folder / name).open("wb") as file:
                    async for chunk in response.aiter_bytes(CHUNK):
                        self.check()
                        file.write(chunk)
                        digest.update(chunk)
                        size += len(chunk)
                        self.progress.done += len(chunk)
                        self.report(self.progress)
                if declared and size != declared:
                    raise ExportError(f"{what}: {size} bytes arrived of {declared} announced")
        except httpx.HTTPError as error:
            raise ExportError(
                f"{what}: cannot download ({type(error).__name__}: {error})"
            ) from error
        self.files.append({"path": name, "sha256": digest.hexdigest(), "size": size})
        self.progress.files_done += 1
        self.report(self.progress)
        return response.headers


def _detail(body: str) -> str:
    """FastAPI's {"detail": ...} as its words, else the body's start."""
    with contextlib.suppress(ValueError):
        parsed = json.loads(body)
        if isinstance(parsed, dict) and isinstance(parsed.get("detail"), str):
            return str(parsed["detail"])
    return body.strip()


async def export_evidence(
    api: Recorder,
    cameras: Sequence[EvidenceCamera],
    start: datetime,
    end: datetime,
    target: Path,
    operator: str,
    incident_id: str,
    zone: tzinfo,
    progress: Callable[[Progress], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> str:
    """Export to `target` (a folder, or a .zip) and return the manifest's SHA-256.

    Raises ExportError (ExportCancelled) with nothing left on disk; so does a task cancel."""
    if not cameras or end <= start:
        raise ExportError("no camera chosen" if not cameras else "the export ends before it starts")
    if target.exists():
        raise ExportError(f"{target} already exists; choose another name")
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)  # a crashed export's leftovers: ours to remove
    staging.mkdir(parents=True)
    report, cancelled = progress or (lambda _: None), cancel or (lambda: False)
    run = _Run(api, staging, Progress(files_total=2 * len(cameras)), report, cancelled)
    try:
        entries, taken = [], {MANIFEST.removesuffix(".json")}
        for camera in cameras:
            stem = _file_name(camera.id, taken)
            url = clip_url(api.base_url, camera.id, start, end)
            headers = await run.download(url, f"{stem}.mkv", f"clip of {camera.id}")
            snapshot = f"{api.base_url}/video/{quote(camera.id, safe='')}/snapshot.jpg?profile=main"
            await run.download(snapshot, f"{stem}.jpg", f"snapshot of {camera.id}")
            spans = _spans(headers.get("x-recorded-spans", ""), zone)
            entries.append(
                dict(
                    id=camera.id,
                    name=camera.name,
                    clip=f"{stem}.mkv",
                    snapshot=f"{stem}.jpg",
                    snapshot_taken=SNAPSHOT_NOTE,
                    recorded_spans=spans,
                )
            )
        manifest = {
            "format": FORMAT,
            "tool": {"name": "ioc-console", "version": tool_version()},
            "exported_at": _times(datetime.now(UTC), zone),
            "zone": str(zone),
            "operator": operator,
            "incident": incident_id,
            "backend": api.base_url,
            "window": {"start": _times(start, zone), "end": _times(end, zone)},
            "cameras": entries,
            "files": run.files,
        }
        data = json.dumps(manifest, ensure_ascii=False, indent=2).encode() + b"\n"
        (staging / MANIFEST).write_bytes(data)
        run.check()
        if target.suffix.lower() == ".zip":
            await _zip(run, staging / target.name, [*(f["path"] for f in run.files), MANIFEST])
            _place(staging / target.name, target)
            shutil.rmtree(staging)
        else:
            _place(staging, target)
        return hashlib.sha256(data).hexdigest()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _place(source: Path, target: Path) -> None:
    """Rename into place, never over something that appeared meanwhile."""
    if target.exists():
        raise ExportError(f"{target} appeared during the export; nothing was written")
    os.rename(source, target)


async def _zip(run: _Run, archive: Path, names: list[str]) -> None:
    """Stored, not deflated (JPEG and MJPEG do not shrink); yields so Cancel stays live."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED, allowZip64=True) as out:
        for name in names:
            with (run.folder / name).open("rb") as source, out.open(name, "w") as member:
                while chunk := source.read(1 << 20):
                    member.write(chunk)
                    run.check()
                    await asyncio.sleep(0)


def verify(path: Path) -> list[str]:
    """Every way the export at `path` differs from its manifest (empty: unchanged)."""
    try:
        if path.is_dir():
            return _verify(path)
        with zipfile.ZipFile(path) as archive:
            return _verify(zipfile.Path(archive))
    except (OSError, zipfile.BadZipFile, ValueError, KeyError, TypeError) as error:
        return [f"{path.name}: unreadable ({type(error).__name__}: {error})"]


def _verify(root: Any) -> list[str]:
    manifest = json.loads((root / MANIFEST).read_bytes())
    listed = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(listed, list):
        return [f"{MANIFEST}: lists no files"]
    problems, seen = [], {MANIFEST}
    for entry in listed:
        name = str(entry.get("path", "")) if isinstance(entry, dict) else ""
        pure = PurePosixPath(name)
        if not name or pure.is_absolute() or ".." in pure.parts or len(pure.parts) != 1:
            problems.append(f"{name or '?'}: not a file name the manifest may list")
            continue
        seen.add(name)
        member = root / name
        if not member.exists():
            problems.append(f"{name}: missing")
            continue
        digest, size = hashlib.sha256(), 0
        with member.open("rb") as file:
            while chunk := file.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
        if size != entry.get("size"):
            problems.append(f"{name}: {size} bytes, the manifest says {entry.get('size')}")
        if digest.hexdigest() != entry.get("sha256"):
            problems.append(f"{name}: SHA-256 differs from the manifest")
    extra = sorted(p.name for p in root.iterdir() if p.name not in seen)
    problems += [f"{name}: not in the manifest" for name in extra]
    return problems
