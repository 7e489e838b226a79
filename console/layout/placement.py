"""Which physical screen shows which layout screen, and what folds when one is missing.

Pure data in, data out, so the rules are tested without a display: a layout screen
matches a physical screen by name, else by a point on it, else by index (its own
position in the layout by default). A screen whose match is missing or taken goes to
a free physical screen; with none free it folds onto the first placed screen as an
extra page, and the operator is told.
"""

from __future__ import annotations

from dataclasses import dataclass

from console.layout.model import Screen


@dataclass(frozen=True)
class Physical:
    name: str
    x: int
    y: int
    width: int
    height: int

    def contains(self, point: tuple[int, int]) -> bool:
        px, py = point
        return self.x <= px < self.x + self.width and self.y <= py < self.y + self.height

    @property
    def portrait(self) -> bool:
        return self.height > self.width


@dataclass(frozen=True)
class Placement:
    screen: Screen
    physical: int  # index into the physical screens
    folded: bool  # its own display is missing or taken: shown as an extra page


def _wanted(screen: Screen, index: int, physical: list[Physical]) -> int | None:
    display = screen.display
    if display is not None and display.name is not None:
        return next((i for i, p in enumerate(physical) if p.name == display.name), None)
    if display is not None and display.position is not None:
        point = display.position
        return next((i for i, p in enumerate(physical) if p.contains(point)), None)
    wanted = display.index if display is not None and display.index is not None else index
    return wanted if wanted < len(physical) else None


def place(screens: list[Screen], physical: list[Physical]) -> list[Placement]:
    """Assign every layout screen to a physical screen; never drops one."""
    if not physical:
        raise ValueError("no screens are connected")
    taken: set[int] = set()
    chosen: list[int | None] = []
    for index, screen in enumerate(screens):
        wanted = _wanted(screen, index, physical)
        if wanted is not None and wanted not in taken:
            taken.add(wanted)
            chosen.append(wanted)
        else:
            chosen.append(None)
    free = [i for i in range(len(physical)) if i not in taken]
    for index, target in enumerate(chosen):
        if target is None and free:
            chosen[index] = free.pop(0)
    host = next((c for c in chosen if c is not None), 0)
    return [
        Placement(screen, host if target is None else target, target is None)
        for screen, target in zip(screens, chosen, strict=True)
    ]
