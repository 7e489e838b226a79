"""A site's broker, topics and link, from its site file or `--broker URL`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from console.nodes.link import BrokerLink
from console.nodes.topics import Topics
from console.site.broker import Broker
from console.site.model import Site
from console.sources.auth import CredentialsError, read_secret

log = logging.getLogger(__name__)


def broker_for(site: Site, url: str | None = None) -> Broker | None:
    """`--broker URL` (keeping the site's prefix and account), else the site's own."""
    if url is None:
        return site.broker
    if site.broker is None:
        return Broker(url=url)
    return site.broker.model_copy(update={"url": Broker(url=url).url})


def topics_for(site: Site, broker: Broker) -> Topics:
    return Topics(broker.prefix(site.name))


def open_link(
    broker: Broker,
    subscriptions: list[str],
    on_message: Callable[[str, bytes, bool], None],
    **options: Any,
) -> BrokerLink:
    """A link with the broker's password read from where the site file says it is."""
    password = None
    if broker.password is not None:
        try:
            password = read_secret(broker.password, "the broker password")
        except CredentialsError as error:
            log.error("broker %s: %s; connecting without a password", broker.url, error)
    return BrokerLink(broker, subscriptions, on_message, password=password, **options)
