"""
The CJK font of reports and pack documents.

The library ships Noto Sans CJK SC Regular cut to the characters a report
is likely to contain (Latin, punctuation, the 6,763 hanzi of GB 2312 and
every character of the bundled packs), about 1.6 MB, under the SIL Open Font
License 1.1 (``fonts/LICENSE`` beside this module; built by
``tools/build_cjk_font.py``).  Pages embed the glyphs they use, cut again
from it; charts draw with it.  A character outside the shipped set is left
to the reader's fonts: pages name system CJK fonts after the embedded one,
and charts fall back to any CJK font matplotlib finds.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

from maturity_core.exceptions import MaturityCoreError


#: The shipped font (OpenType, CFF outlines).
FONT_FILE = Path(__file__).parent / "fonts" / "NotoSansCJKscSubset-Regular.otf"

#: Its family name.
FAMILY = "Noto Sans CJK SC Subset"

#: System fonts that draw what the shipped font lacks, best first.
FALLBACK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
)

#: The CSS family of an embedded subset (see :func:`font_face_css`).
CSS_FAMILY = "ReportCJK"

_EXTRA = "pip install 'maturity-core[report]'"


def font_subset(text: str) -> bytes:
    """
    The report font reduced to the characters of *text* (OpenType), so a
    page can embed the font it needs and render anywhere, offline.

    A character the shipped font lacks has no glyph in the result; a
    page that embeds it lists system fonts after it (see
    :func:`font_face_css`).

    Raises:
        MaturityCoreError: If fontTools (the ``report`` extra) is missing.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 Cut from the subset of Noto Sans CJK SC
       that the library ships, instead of the ``mplfonts`` package.
    """
    try:
        from fontTools import subset  # noqa: PLC0415
        from fontTools.ttLib import TTFont  # noqa: PLC0415
    except ImportError:  # pragma: no cover -- exercised without the extra
        msg = f"embedding the report font needs {_EXTRA}"
        raise MaturityCoreError(msg) from None
    options = subset.Options()
    options.name_IDs = ["*"]
    options.drop_tables += ["GSUB", "GPOS"]
    # The shipped font's own timestamp is kept, so the same text always
    # gives the same bytes (and a report is reproducible byte for byte).
    font = TTFont(str(FONT_FILE), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(set(text))))
    subsetter.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def css_font_stack() -> str:
    """The CSS ``font-family`` value: the embedded subset, then system CJK
    fonts for what it lacks, then the generic sans-serif."""
    system = ",".join(f"'{name}'" for name in FALLBACK_FAMILIES)
    return f"'{CSS_FAMILY}',{system},sans-serif"


def font_face_css(text: str) -> str:
    """
    An ``@font-face`` rule embedding (as a data URI) the glyphs of *text*
    under the family :data:`CSS_FAMILY`.
    """
    data = base64.b64encode(font_subset(text)).decode("ascii")
    return (
        f"@font-face{{font-family:'{CSS_FAMILY}';"
        f"src:url(data:font/otf;base64,{data}) format('opentype')}}"
    )


def cjk_font() -> Any:
    """
    Matplotlib font properties for chart text: the shipped font, then any
    system CJK font matplotlib knows, then DejaVu Sans (glyph by glyph).
    """
    try:
        from matplotlib import font_manager  # noqa: PLC0415
    except ImportError:  # pragma: no cover -- exercised without the extra
        msg = f"charts need {_EXTRA}"
        raise MaturityCoreError(msg) from None
    manager = font_manager.fontManager
    known = {entry.name for entry in manager.ttflist}
    if FAMILY not in known:
        manager.addfont(str(FONT_FILE))
    families = [
        FAMILY,
        *(name for name in FALLBACK_FAMILIES if name in known),
        "DejaVu Sans",
    ]
    return font_manager.FontProperties(family=families)
