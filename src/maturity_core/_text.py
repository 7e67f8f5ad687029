"""Bilingual text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs


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
