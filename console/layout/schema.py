"""JSON Schema of layout files, with each panel kind's config, for editors."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from console.layout.model import Layout, PresetFile
from console.layout.panel_kinds import PANEL_CONFIGS


def layout_schema() -> dict[str, Any]:
    schema = TypeAdapter(Layout | PresetFile).json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "IOC Console layout"
    defs = schema.setdefault("$defs", {})
    rules = []
    for kind, model in PANEL_CONFIGS.items():
        name = f"{model.__name__}"
        defs[name] = model.model_json_schema()
        rules.append(
            {
                "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                "then": {"properties": {"config": {"$ref": f"#/$defs/{name}"}}},
            }
        )
    for holder in ("PanelSpec", "Cell"):
        if holder in defs:
            defs[holder]["properties"]["kind"]["enum"] = sorted(PANEL_CONFIGS)
            defs[holder]["allOf"] = rules
    return schema
