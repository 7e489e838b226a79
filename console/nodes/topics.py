"""The site's topic tree on the broker, one place that names every topic.

    <prefix>/node/<name>/presence    retained; the node's last will sets it offline
    <prefix>/node/<name>/showing     retained; what it shows, the last command applied
    <prefix>/node/<name>/health      retained; tiles live, fps, CPU, memory
    <prefix>/node/<name>/thumbnail   retained; a small JPEG of its first screen
    <prefix>/node/<name>/desired     retained; commands: the desired state (controllers)
    <prefix>/meeting/<name>/state    retained; the presenter's slide, freeze, blank, ink
    <prefix>/meeting/<name>/deck     retained; the deck file, so a seat needs no copy

The mosquitto ACL file of the demo (`layouts/broker/acl`) grants writes along the same
lines: a node only under its own name, commands only to controller accounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

NodeTopic = Literal["presence", "showing", "health", "thumbnail", "desired"]
NODE_TOPICS: tuple[NodeTopic, ...] = ("presence", "showing", "health", "thumbnail", "desired")


@dataclass(frozen=True)
class Topics:
    prefix: str

    def node(self, name: str, what: NodeTopic) -> str:
        return f"{self.prefix}/node/{name}/{what}"

    def every_node(self, what: NodeTopic) -> str:
        return f"{self.prefix}/node/+/{what}"

    def meeting(self, name: str, what: Literal["state", "deck"]) -> str:
        return f"{self.prefix}/meeting/{name}/{what}"

    def parse_node(self, topic: str) -> tuple[str, NodeTopic] | None:
        """(node name, what) of a node topic of this site, else None."""
        head = f"{self.prefix}/node/"
        if not topic.startswith(head):
            return None
        parts = topic[len(head) :].split("/")
        if len(parts) != 2 or parts[1] not in NODE_TOPICS or not parts[0]:
            return None
        name, what = parts
        return name, what  # type: ignore[return-value]  # checked against NODE_TOPICS
