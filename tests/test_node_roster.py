"""The controller's roster: whatever nodes (or anyone) publish, it never breaks or lies."""

from __future__ import annotations

import json
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from console.nodes.messages import Desired, Presence, Showing, encode
from console.nodes.roster import NodeRoster
from console.nodes.topics import NODE_TOPICS, Topics

TOPICS = Topics("ioc/site")
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=25,
)
payloads = st.one_of(
    st.binary(max_size=400),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.builds(
        lambda node, seq: json.dumps({"v": 1, "node": node, "online": True, "seq": seq}).encode(),
        st.text(max_size=70),
        st.integers(),
    ),
)
topics = st.one_of(
    st.sampled_from([TOPICS.node("wall-1", what) for what in NODE_TOPICS]),
    st.text(max_size=40),
    st.builds(lambda name: f"ioc/site/node/{name}/showing", st.text(max_size=20)),
)


@settings(max_examples=400, deadline=None)
@given(topic=topics, payload=payloads)
def test_junk_on_any_topic_is_dropped_and_the_roster_stays_consistent(
    topic: str, payload: bytes
) -> None:
    roster = NodeRoster(TOPICS)
    roster.on_message(
        TOPICS.node("wall-1", "showing"), encode(Showing(node="wall-1", preset="a")), True
    )
    roster.on_message(topic, payload, False)
    view = roster.nodes["wall-1"]
    assert view.showing is not None and view.showing.node == "wall-1"
    for name, node in roster.nodes.items():
        for message in (node.presence, node.showing, node.health, node.desired):
            assert message is None or getattr(message, "node", name) == name
        assert not node.thumbnail or node.thumbnail.startswith(b"\xff\xd8\xff")
    next_command = roster.command("wall-1", "an", "operator", preset="b")
    assert next_command.seq > view.last_seq


def test_sequence_numbers_continue_from_the_broker_and_a_lost_node_says_since_when() -> None:
    roster = NodeRoster(TOPICS)
    old = Desired(node="wall-1", seq=41, by="other desk", role="leader", issued_at=time.time())
    roster.on_message(TOPICS.node("wall-1", "desired"), encode(old), True)
    assert roster.command("wall-1", "an", "operator", preset="a").seq == 42
    assert roster.command("wall-1", "an", "operator", preset="b").seq == 43  # not yet echoed
    roster.on_message(
        TOPICS.node("wall-1", "presence"), encode(Presence(node="wall-1", online=True)), True
    )
    assert roster.nodes["wall-1"].online and roster.nodes["wall-1"].lost_at is None
    roster.on_message(
        TOPICS.node("wall-1", "presence"), encode(Presence(node="wall-1", online=False)), False
    )
    assert not roster.nodes["wall-1"].online and roster.nodes["wall-1"].lost_at is not None
    sent = roster.command("wall-1", "an", "operator", cells={})
    assert (sent.preset, sent.cells) == (None, {})  # take back
