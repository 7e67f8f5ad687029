"""Text in any number of languages, keyed by BCP 47 language tags."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
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
    r"""
    *text* without terminal control sequences or control characters
    (tab and newline are kept), safe to show on a terminal.

    >>> from maturity_core.io import printable
    >>> printable("ok\x1b[2J\x1b]0;title\x07 done\r")
    'ok done'
    """
    return _CONTROL.sub("", text)


#: A BCP 47 language tag, as pack and assessment files may use them
#: (``zh``, ``en``, ``zh-Hant``, ``pt-BR``, ``de-CH-1996``).
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*\Z")

#: The language a text falls back to when it lacks the one asked for.
FALLBACK = "en"


def is_language_tag(tag: object) -> bool:
    """Whether *tag* is a well-formed BCP 47 language tag."""
    return isinstance(tag, str) and bool(LANGUAGE_TAG.match(tag))


def _primary(tag: str) -> str:
    return tag.split("-", 1)[0].lower()


@attrs.frozen(init=False)
class Text:
    """
    A piece of text in one or more languages, keyed by BCP 47 tags.

    >>> Text(zh="数据", en="Data").get("en")
    'Data'
    >>> Text({"de": "Daten", "en": "Data"}).get("de-AT")
    'Daten'

    .. versionadded:: 0.1.0
    """

    #: (language tag, text) pairs, in the order given.
    items: tuple[tuple[str, str], ...] = attrs.field(eq=False, repr=False)
    _key: frozenset[tuple[str, str]] = attrs.field(repr=False)

    def __init__(
        self,
        values: Mapping[str, str | None] | None = None,
        **langs: str | None,
    ) -> None:
        merged = {**(values or {}), **langs}
        items = tuple((k, v) for k, v in merged.items() if v is not None)
        self.__attrs_init__(items, frozenset(items))

    @property
    def values(self) -> Mapping[str, str]:
        """Language tag → text."""
        return MappingProxyType(dict(self.items))

    def __repr__(self) -> str:
        inner = ", ".join(f"{k!r}: {v!r}" for k, v in self.items)
        return f"Text({{{inner}}})"

    @classmethod
    def from_data(cls, data: Mapping[str, Any] | str | None) -> Text:
        """
        Build from ``{"zh": …, "en": …, "de": …}``, or a plain string
        (taken as the text of every language).
        """
        if data is None:
            return cls()
        if isinstance(data, str):
            return cls({"und": data})
        return cls({str(k): v for k, v in data.items() if isinstance(v, str)})

    @property
    def zh(self) -> str | None:
        """The Chinese text, if any."""
        return self.values.get("zh")

    @property
    def en(self) -> str | None:
        """The English text, if any."""
        return self.values.get("en")

    @property
    def languages(self) -> tuple[str, ...]:
        """The language tags this text is written in, in order."""
        return tuple(k for k, _ in self.items if k != "und")

    def find(self, lang: str) -> str | None:
        """
        The text in *lang* exactly, or in a language with the same primary
        subtag (``zh-Hans`` finds ``zh``), or ``None``.
        """
        values = dict(self.items)
        if lang in values:
            return values[lang]
        primary = _primary(lang)
        for key, value in self.items:
            if _primary(key) == primary:
                return value
        return values.get("und")

    def get(self, lang: str = "zh") -> str:
        """
        The text in *lang*; else in English; else in its first language
        (empty if it has none).
        """
        found = self.find(lang)
        if found is not None:
            return found
        fallback = self.find(FALLBACK)
        if fallback is not None:
            return fallback
        return self.items[0][1] if self.items else ""

    def to_dict(self) -> dict[str, str]:
        """The languages present as JSON-ready data."""
        return dict(self.items)

    def __str__(self) -> str:
        return self.items[0][1] if self.items else ""
