"""Tooltips that Qt shows as they are.

Qt reads every tooltip string as rich text as soon as `Qt.mightBeRichText()` says so
(a tooltip has no text format of its own): a citizen's title `<img src="/etc/passwd">`
would show a local file. So outside text is escaped and wrapped in a paragraph that
keeps its line breaks and spaces; Qt then shows exactly the original characters. Item
models hand out ToolTipRole through this; widgets use it via `widgets.text`.
"""

from __future__ import annotations

import html


def plain_tooltip(text: str) -> str:
    """`text` as a tooltip shown literally ("" stays "": no tooltip)."""
    if not text:
        return ""
    escaped = html.escape(text.replace("\r\n", "\n").replace("\r", "\n"), quote=False)
    # <br>, not a raw line break: the parser drops one at either end of the paragraph.
    return f"<p style='white-space:pre-wrap'>{escaped.replace(chr(10), '<br>')}</p>"
