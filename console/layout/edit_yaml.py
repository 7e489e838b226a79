"""Layouts and panel settings as tidy YAML: what the layout editor writes.

Defaults are left out, short mappings and lists go on one line as in hand-written
files, and the loader reads the text back to an equal Layout.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from console.layout.model import Layout, PanelSpec
from console.layout.panel_kinds import PANEL_CONFIGS

FLOW_WIDTH = 100  # mappings and lists shorter than this are written on one line
_FIRST_KEYS = ("row", "column", "row_span", "column_span", "kind", "title")
_BLOCK_KEYS = {"presets", "screens", "cells", "children", "split"}


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_inline(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    return str(value)


def _tidy(value: Any, block: bool = False) -> Any:
    """Containers as ruamel nodes: short ones on one line, the structure as blocks."""
    if isinstance(value, dict):
        ordered = list(value)
        if "kind" in value:  # a panel: where it is, then what it shows
            ordered.sort(key=lambda k: _FIRST_KEYS.index(k) if k in _FIRST_KEYS else 99)
        if "sizes" in value:  # [3, 1] rather than [3.0, 1.0]
            value = {
                **value,
                "sizes": [int(v) if float(v).is_integer() else v for v in value["sizes"]],
            }
        node: CommentedMap | CommentedSeq = CommentedMap(
            (k, _tidy(value[k], k in _BLOCK_KEYS)) for k in ordered
        )
        block = bool(_BLOCK_KEYS & set(value))  # a screen, a split, the whole file
    elif isinstance(value, list):
        node = CommentedSeq(_tidy(v) for v in value)
    else:
        return value
    if not block and len(_inline(value)) <= FLOW_WIDTH:
        node.fa.set_flow_style()
    return node


def _dump(doc: Any) -> str:
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never wrap a line: flow style is used only where it is short
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


def to_yaml(layout: Layout) -> str:
    """A layout as tidy YAML that the loader reads back to an equal Layout."""
    data = layout.model_dump(mode="json", exclude_defaults=True)
    data.pop("version", None)
    doc = _tidy({"version": layout.version, **data})
    doc.yaml_set_start_comment(f"{layout.title or layout.name} (saved by the layout editor)")
    return _dump(doc)


def settings_text(spec: PanelSpec) -> str:
    """Every setting of a panel as YAML, defaults included, each described."""
    model = PANEL_CONFIGS[spec.kind]
    values = spec.panel_config().model_dump(mode="json")
    if not values:
        return "{}\n"
    doc = CommentedMap()
    for key, value in values.items():
        doc[key] = _tidy(value)
        description = model.model_fields[key].description
        if description:
            doc.yaml_add_eol_comment(description, key)
    return _dump(doc)
