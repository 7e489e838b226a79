"""Which physical screen shows which layout screen (pure rules, no display needed)."""

from __future__ import annotations

from console.layout.model import Display, Screen
from console.layout.placement import Physical, place

LEFT = Physical("wall-left", 0, 0, 1920, 1080)
RIGHT = Physical("wall-right", 1920, 0, 1920, 1080)
PORTRAIT = Physical("desk-portrait", 3840, 0, 1080, 1920)


def screen(name: str, display: Display | None = None) -> Screen:
    return Screen(name=name, rows=1, columns=1, display=display)


def test_screens_go_in_order_by_default() -> None:
    placed = place([screen("a"), screen("b")], [LEFT, RIGHT])
    assert [(p.screen.name, p.physical, p.folded) for p in placed] == [
        ("a", 0, False),
        ("b", 1, False),
    ]


def test_match_by_name_position_and_index() -> None:
    placed = place(
        [
            screen("ops", Display(name="desk-portrait")),
            screen("wall", Display(position=(2000, 500))),
            screen("extra", Display(index=0)),
        ],
        [LEFT, RIGHT, PORTRAIT],
    )
    assert [p.physical for p in placed] == [2, 1, 0]
    assert PORTRAIT.portrait and not LEFT.portrait


def test_a_missing_screen_folds_onto_the_first_placed_one() -> None:
    placed = place([screen("a"), screen("b"), screen("c", Display(name="gone"))], [LEFT, RIGHT])
    assert [(p.physical, p.folded) for p in placed] == [(0, False), (1, False), (0, True)]


def test_two_layout_screens_never_share_a_display() -> None:
    placed = place([screen("a", Display(index=0)), screen("b", Display(index=0))], [LEFT, RIGHT])
    assert [(p.physical, p.folded) for p in placed] == [(0, False), (1, False)]


def test_a_screen_whose_display_is_missing_takes_a_free_one() -> None:
    placed = place(
        [screen("a", Display(name="gone")), screen("b", Display(index=0))], [LEFT, RIGHT]
    )
    assert [(p.physical, p.folded) for p in placed] == [(1, False), (0, False)]


def test_everything_folds_onto_one_screen_when_only_one_is_left() -> None:
    placed = place([screen("a", Display(name="wall-right")), screen("b")], [LEFT])
    assert [(p.physical, p.folded) for p in placed] == [(0, False), (0, True)]
