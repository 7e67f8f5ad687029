"""
PDF reports: the HTML report laid out for print and rendered by
WeasyPrint.

The page is the one :func:`to_html` writes, with ids on its section
headings, a table of contents after the title (each entry with the page
it starts on) and print styles: A4, margins, and the page number and
count at the foot of every page.  Fonts are embedded as subsets: the CJK
font the HTML report embeds, so Chinese text renders without any system
font and stays selectable.  The document outline (bookmarks) follows the
headings.  Nothing is fetched: only ``data:`` URLs are resolved.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from maturity_core.exceptions import MaturityCoreError
from maturity_core.report._fonts import css_font_stack
from maturity_core.report._html import to_html


if TYPE_CHECKING:
    from maturity_core.report._report import Report


_CONTENTS = {"zh": "目录", "en": "Contents"}

_HEADING = re.compile(
    r"<(?P<tag>h[12])(?P<attrs>\s[^>]*)?>(?P<body>.*?)</(?P=tag)>",
    re.DOTALL,
)
_ID = re.compile(r"""\sid\s*=\s*(['"])(?P<id>[^'"]*)\1""")
_TAG = re.compile(r"<[^>]+>")

_INSTALL = (
    "PDF reports need WeasyPrint: pip install 'maturity-core[pdf]' "
    "(it also needs the Pango library, e.g. apt install libpango-1.0-0 "
    "libpangoft2-1.0-0)"
)


def _print_css() -> str:
    fonts = css_font_stack()
    return (
        "@page{size:A4;margin:18mm 16mm 20mm;"
        "@bottom-center{content:counter(page) ' / ' counter(pages);"
        f"font-family:{fonts};font-size:9pt;color:#555}}}}"
        f"body{{margin:0;max-width:none;font-family:{fonts}}}"
        "h1,h2,h3{break-after:avoid}"
        "tr,li,img{break-inside:avoid}"
        "img{max-width:100%}"
        "td{overflow-wrap:anywhere}"
        "nav.toc h2{bookmark-level:none}"
        "nav.toc ol{list-style:none;padding:0}"
        "nav.toc li.h1{font-weight:bold;margin-top:.3em}"
        "nav.toc li.h2{padding-left:1.2em}"
        "nav.toc a{color:inherit;text-decoration:none}"
        "nav.toc a::after{content:leader('.') target-counter(attr(href),page)}"
    )


def _lang_key(lang: str) -> str:
    return "zh" if lang.split("-", maxsplit=1)[0].lower() == "zh" else "en"


def print_html(page: str, lang: str) -> str:
    """
    *page* (an HTML report) with ids on its ``<h1>``/``<h2>`` headings, a
    table of contents of them after the first ``<h1>`` (the title) and
    print styles.
    """
    entries: list[tuple[str, str, str]] = []
    title_seen = False

    def identify(match: re.Match[str]) -> str:
        nonlocal title_seen
        tag, attrs, body = match["tag"], match["attrs"] or "", match["body"]
        if tag == "h1" and not title_seen:
            title_seen = True
            return match[0]
        found = _ID.search(attrs)
        ident = found["id"] if found else f"section-{len(entries) + 1}"
        if not found:
            attrs += f" id='{ident}'"
        text = html.unescape(_TAG.sub("", body)).strip()
        entries.append((tag, ident, text))
        return f"<{tag}{attrs}>{body}</{tag}>"

    page = _HEADING.sub(identify, page)
    e = html.escape
    heading = _CONTENTS[_lang_key(lang)]
    nav = (
        f"<nav class='toc' id='contents'><h2>{e(heading)}</h2><ol>"
        + "".join(
            f"<li class='{tag}'><a href='#{e(ident)}'>{e(text)}</a></li>"
            for tag, ident, text in entries
        )
        + "</ol></nav>"
    )
    if title_seen:
        end = page.index("</h1>") + len("</h1>")
    else:
        body = re.search(r"<body[^>]*>", page)
        end = body.end() if body else 0
    page = page[:end] + nav + page[end:]
    style = f"<style>{_print_css()}</style>"
    if "</head>" in page:
        return page.replace("</head>", style + "</head>", 1)
    return style + page


def _weasyprint() -> Any:
    try:
        import weasyprint  # noqa: PLC0415
    except ImportError:
        raise MaturityCoreError(_INSTALL) from None
    except OSError as e:  # WeasyPrint loads Pango when imported
        msg = f"{_INSTALL}; loading it failed: {e}"
        raise MaturityCoreError(msg) from None
    return weasyprint


def to_pdf(report: Report) -> bytes:
    """
    The report as a PDF: A4, a table of contents with page numbers,
    numbered pages, bookmarks, and its fonts embedded (CJK text is
    selectable).

    Raises:
        MaturityCoreError: If WeasyPrint (the ``pdf`` extra) or the Pango
            library it needs is missing.

    .. versionadded:: 0.2.0
    """
    weasyprint = _weasyprint()
    page = print_html(to_html(report), report.lang)
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols={"data"})
    document = weasyprint.HTML(string=page, url_fetcher=fetcher)
    pdf: bytes = document.write_pdf()
    return pdf
