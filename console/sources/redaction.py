"""Secrets kept out of every log line, in every spelling an error message may give them.

An error rarely quotes a secret as it is: httpx shows a refused header as bytes
(`b'Bearer ab\\x00c'`), a URL or a form body carries it percent-encoded, `repr()` and
JSON escape it. Each secret is registered in all these forms, and `RedactSecrets`
masks them in a record's message, its arguments and its exception text before any
formatter sees the record.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections import deque
from urllib.parse import quote, quote_plus

MASK = "***"
MIN_LENGTH = 4  # a shorter "secret" would mask ordinary words all over the log
ROTATING_KEPT = 16  # OAuth tokens come and go: an error may still quote the last few
HTTPX_PATH_SAFE = "!$&'()*+,;=:@/"  # what httpx leaves as it is in a URL path

_lock = threading.Lock()
_lasting: set[str] = set()
_rotating: deque[str] = deque(maxlen=ROTATING_KEPT)
_pattern: re.Pattern[str] | None = None


def _lower_hex(text: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda match: match.group().lower(), text)


def spellings(secret: str) -> set[str]:
    """The forms `secret` can take in an error: as is, repr/ascii/JSON-escaped, percent-
    encoded (path, query and form style, either case of hex), and inside a bytes repr."""
    try:
        raw = secret.encode("utf-8", "surrogateescape")  # os.environ keeps odd bytes so
    except UnicodeEncodeError:
        raw = secret.encode("utf-8", "backslashreplace")
    encoded = {quote(raw, safe=""), quote(raw), quote(raw, safe=HTTPX_PATH_SAFE), quote_plus(raw)}
    forms = {
        secret,
        repr(secret)[1:-1],
        ascii(secret)[1:-1],
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        repr(raw)[2:-1],
        *encoded,
        *(_lower_hex(form) for form in encoded),
    }
    return {form for form in forms if len(form) >= MIN_LENGTH}


def keep_secret(value: str, *, rotating: bool = False) -> str:
    """Remember a secret so that no log line can ever show it; returns it unchanged.
    `rotating` ones (access tokens) are kept while they are among the newest few."""
    global _pattern
    if len(value) < MIN_LENGTH:
        return value
    with _lock:
        if value in _lasting or value in _rotating:
            return value
        if rotating:
            _rotating.append(value)
        else:
            _lasting.add(value)
        forms = {form for secret in (*_lasting, *_rotating) for form in spellings(secret)}
        # Longest first: a form that holds another is masked whole, not in part.
        ordered = sorted(forms, key=lambda form: (-len(form), form))
        _pattern = re.compile("|".join(re.escape(form) for form in ordered))
    return value


def redact(text: str) -> str:
    """`text` with every known secret, in any of its forms, masked."""
    pattern = _pattern
    return pattern.sub(MASK, text) if pattern is not None else text


class RedactSecrets(logging.Filter):
    """Installed on every log handler: a known secret never reaches a formatter."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _pattern is None:
            return True
        try:
            message = record.getMessage()
            failed = False
        except Exception:  # a bad format string: logging would print msg and args raw
            message, failed = f"{record.msg} {record.args}", True
        masked = redact(message)
        if failed or masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            text = redact(record.exc_text)
            if text != record.exc_text:  # and nothing may render the exception afresh
                record.exc_text, record.exc_info = text, None
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
