"""JSON Schema of site files, for editors (`ioc-console schema site`)."""

from __future__ import annotations

from typing import Any

from console.site.model import Site


def site_schema() -> dict[str, Any]:
    schema = Site.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "IOC Console site"
    for name in ("token", "client_id", "client_secret"):
        prop = schema["$defs"]["Connection"]["properties"][name]
        prop["description"] = "a reference: {env: VARIABLE} or {keyring: ENTRY}, never the value"
    return schema
