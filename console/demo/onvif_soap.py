"""SOAP 1.2 plumbing of the demo's ONVIF device: reading requests, WS-Security, faults.

Requests come from the network, so they are read with defusedxml with DTDs forbidden (no
entity can expand, however it is nested) and only after the body proved small enough;
anything that is not a SOAP 1.2 envelope is a Sender fault, never an exception in the server.
The UsernameToken digest is the one ONVIF cameras check: base64(sha1(nonce + created +
password)); a wrong one is the fault a camera gives ("Sender not authorized").
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree.ElementTree import Element, ParseError
from xml.sax.saxutils import escape, quoteattr

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from starlette.responses import Response

MAX_BODY = 64 * 1024  # a PTZ request is well under 2 KiB; anything near this is not one
CLOCK_SKEW_S = 300.0  # WS-Security "Created" further from now than this is refused
ENV = "http://www.w3.org/2003/05/soap-envelope"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
TDS = "http://www.onvif.org/ver10/device/wsdl"
TRT = "http://www.onvif.org/ver10/media/wsdl"
TPTZ = "http://www.onvif.org/ver20/ptz/wsdl"
TT = "http://www.onvif.org/ver10/schema"
TER = "http://www.onvif.org/ver10/error"
PREFIXES = {"env": ENV, "tds": TDS, "trt": TRT, "tptz": TPTZ, "tt": TT, "ter": TER}
CONTENT_TYPE = "application/soap+xml; charset=utf-8"


class SoapFault(Exception):
    """A SOAP fault to answer with: `code` Sender (the request's fault) or Receiver."""

    def __init__(self, reason: str, subcode: str = "ter:InvalidArgVal", sender: bool = True):
        super().__init__(reason)
        self.reason, self.subcode, self.sender = reason, subcode, sender


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def child(element: Element, name: str) -> Element | None:
    """The first child whose local name is `name`, whatever its namespace prefix."""
    return next((item for item in element if local(item.tag) == name), None)


def text_of(element: Element | None, name: str) -> str | None:
    found = child(element, name) if element is not None else None
    return None if found is None or found.text is None else found.text.strip()


def parse(body: bytes) -> tuple[Element | None, Element]:
    """(Header, the operation element) of a SOAP 1.2 envelope; SoapFault if it is not one."""
    try:
        root = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError, UnicodeError) as error:
        raise SoapFault(f"not well-formed XML ({type(error).__name__})") from None
    if root.tag != f"{{{ENV}}}Envelope":
        raise SoapFault("not a SOAP 1.2 envelope", "env:VersionMismatch")
    soap_body = child(root, "Body")
    operation = next(iter(soap_body), None) if soap_body is not None else None
    if operation is None or not operation.tag.startswith("{"):
        raise SoapFault("the envelope has no operation in its Body")
    return child(root, "Header"), operation


@dataclass(frozen=True)
class Account:
    """The device's one user; the password lives in the demo's config, not in requests."""

    user: str
    password: str

    def check(self, header: Element | None, now: float) -> str:
        """The authenticated user name, or SoapFault "Sender not authorized"."""
        token = None
        security = child(header, "Security") if header is not None else None
        if security is not None:
            token = child(security, "UsernameToken")
        user = text_of(token, "Username")
        password = child(token, "Password") if token is not None else None
        nonce, created = text_of(token, "Nonce"), text_of(token, "Created")
        if user is None or password is None or password.text is None or not nonce or not created:
            raise not_authorized()
        try:
            raw_nonce = base64.b64decode(nonce, validate=True)
            when = datetime.fromisoformat(created.replace("Z", "+00:00"))
            stamp = when.timestamp() if when.tzinfo else when.replace(tzinfo=UTC).timestamp()
        except (binascii.Error, ValueError, OverflowError):
            raise not_authorized() from None
        digest = hashlib.sha1(raw_nonce + created.encode() + self.password.encode()).digest()
        expected = base64.b64encode(digest).decode()
        good = hmac.compare_digest(user.encode(), self.user.encode()) & hmac.compare_digest(
            password.text.strip().encode(), expected.encode()
        )
        if not good or abs(now - stamp) > CLOCK_SKEW_S:
            raise not_authorized()
        return user


def not_authorized() -> SoapFault:
    return SoapFault("Sender not authorized", "ter:NotAuthorized")


def envelope(payload: str, status: int = 200) -> Response:
    namespaces = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in PREFIXES.items())
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<env:Envelope {namespaces}>'
        f"<env:Body>{payload}</env:Body></env:Envelope>"
    )
    return Response(document.encode(), status_code=status, media_type=CONTENT_TYPE)


def fault(error: SoapFault) -> Response:
    """SOAP 1.2 over HTTP: a Sender fault is 400, a Receiver fault 500."""
    code = "env:Sender" if error.sender else "env:Receiver"
    payload = (
        f"<env:Fault><env:Code><env:Value>{code}</env:Value><env:Subcode>"
        f"<env:Value>{escape(error.subcode)}</env:Value></env:Subcode></env:Code>"
        f'<env:Reason><env:Text xml:lang="en">{escape(error.reason)}</env:Text></env:Reason>'
        f"</env:Fault>"
    )
    return envelope(payload, 400 if error.sender else 500)


def element(name: str, content: str = "", **attributes: str) -> str:
    """One element of the answer, its text or children already escaped by the caller."""
    attrs = "".join(f" {key}={quoteattr(value)}" for key, value in attributes.items())
    return f"<{name}{attrs}>{content}</{name}>"


def text(name: str, value: object) -> str:
    return element(name, escape(str(value)))
