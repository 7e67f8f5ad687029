"""Bilingual text."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs


_CONTROL = re.compile(
    # CSI sequences (cursor moves, erasing, colours), 7- and 8-bit
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    # OSC, DCS, SOS, PM and APC strings (titles, hyperlinks, clipboard)
    # with their terminator on the same line
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*"
    r"(?:\x07|\x1b\\|\x9c)"
    # any other escape sequence
    r"|\x1b[ -/]*[0-~]?"
    # any other C0 or C1 control character but tab and newline
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


def printable(text: str) -> str:
    """
    *text* without terminal control sequences or control characters
    (tab and newline are kept), safe to show on a terminal.

    >>> printable("ok\x1b[2J\x1b]0;title\x07 done\r")
    'ok done'
    """
    return _CONTROL.sub("", text)


@attrs.frozen
class Text:
    """
    A piece of text in Chinese and English; either may be missing.

    >>> Text(zh="数据", en="Data").get("en")
    'Data'

    .. versionadded:: 0.1.0
    """

    zh: str | None = None
    en: str | None = None

    @classmethod
    def from_data(cls, data: Mapping[str, Any] | str | None) -> Text:
        """Build from ``{"zh": …, "en": …}`` or a plain string (Chinese)."""
        if data is None:
            return cls()
        if isinstance(data, str):
            return cls(zh=data)
        return cls(zh=data.get("zh"), en=data.get("en"))

    def get(self, lang: str = "zh") -> str:
        """The text in *lang*, falling back to the other language."""
        first, second = (
            (self.en, self.zh) if lang == "en" else (self.zh, self.en)
        )
        return first or second or ""

    def to_dict(self) -> dict[str, str]:
        """The non-empty languages as JSON-ready data."""
        out = {}
        if self.zh is not None:
            out["zh"] = self.zh
        if self.en is not None:
            out["en"] = self.en
        return out

    def __str__(self) -> str:
        return self.get("zh")
