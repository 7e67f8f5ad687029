"""Build the CJK font that reports embed and charts draw with.

The font is Noto Sans CJK SC Regular (SIL Open Font License 1.1) cut to
the characters a report is likely to contain:

- Latin, Greek, Cyrillic, general punctuation, arrows, mathematical
  operators, block elements, shapes, symbols and dingbats;
- CJK symbols and punctuation, half- and full-width forms;
- every character of GB 2312 (the 6,763 hanzi of everyday simplified
  Chinese and its symbols), enumerated from Python's own codec;
- every character of the bundled packs and of the library's source (its
  message catalogues and the packs' titles, names and requirement texts).

A character outside this set (a rare hanzi in an organisation's name, say)
is drawn by the reader's own fonts: pages list system CJK fonts after the
embedded one, and charts fall back to any CJK font matplotlib finds.

The subset is renamed (family "Noto Sans CJK SC Subset") and written to
src/maturity_core/report/fonts/, beside its licence (fonts/LICENSE, the
SIL OFL 1.1 with the original's copyright notice).

    python3 tools/build_cjk_font.py \
        /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
    python3 tools/build_cjk_font.py path/to/NotoSansCJKsc-Regular.otf

A .ttc collection is searched for its Simplified Chinese face.  Needs
fontTools (it comes with matplotlib).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont


ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "maturity_core" / "report" / "fonts"
FAMILY = "Noto Sans CJK SC Subset"
POSTSCRIPT = "NotoSansCJKscSubset-Regular"

#: Unicode blocks kept whole.
RANGES = (
    (0x0020, 0x024F),  # Basic Latin .. Latin Extended-B
    (0x02B0, 0x02FF),  # spacing modifier letters
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x04FF),  # Cyrillic
    (0x2000, 0x206F),  # general punctuation
    (0x2070, 0x209F),  # super- and subscripts
    (0x20A0, 0x20CF),  # currency symbols
    (0x2100, 0x214F),  # letterlike symbols
    (0x2150, 0x218F),  # number forms
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators
    (0x2460, 0x24FF),  # enclosed alphanumerics
    (0x2500, 0x257F),  # box drawing
    (0x2580, 0x259F),  # block elements
    (0x25A0, 0x25FF),  # geometric shapes
    (0x2600, 0x26FF),  # miscellaneous symbols
    (0x2700, 0x27BF),  # dingbats (check marks, crosses)
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half- and full-width forms
)


def gb2312() -> set[str]:
    """Every character GB 2312 encodes, from the codec."""
    chars = set()
    for row in range(0xA1, 0xF8):
        for col in range(0xA1, 0xFF):
            try:
                chars.add(bytes((row, col)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def project_text() -> set[str]:
    """Every character of the bundled packs and the library's source."""
    chars: set[str] = set()
    roots = [ROOT / "src", ROOT / "packs", ROOT / "examples"]
    for root in roots:
        for path in root.rglob("*"):
            if path.suffix in {".json", ".py", ".toml"} and path.is_file():
                chars |= set(path.read_text("utf-8"))
    return {ch for ch in chars if ord(ch) >= 0x20}


def characters() -> str:
    chars = gb2312() | project_text()
    for lo, hi in RANGES:
        chars |= {chr(c) for c in range(lo, hi + 1)}
    return "".join(sorted(chars))


def open_source(path: Path) -> TTFont:
    if path.suffix.lower() in {".ttc", ".otc"}:
        for font in TTCollection(str(path)).fonts:
            if font["name"].getDebugName(1) == "Noto Sans CJK SC":
                return font
        sys.exit(f"{path}: no Noto Sans CJK SC face in the collection")
    return TTFont(str(path))


def rename(font: TTFont) -> None:
    names = {
        1: FAMILY,
        3: f"{POSTSCRIPT};subset",
        4: FAMILY,
        6: POSTSCRIPT,
        16: FAMILY,
        17: "Regular",
    }
    table = font["name"]
    for record in list(table.names):
        if record.nameID in names:
            table.removeNames(nameID=record.nameID)
    for name_id, text in names.items():
        table.setName(text, name_id, 3, 1, 0x409)
        table.setName(text, name_id, 1, 0, 0)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [POSTSCRIPT]
        top = cff.topDictIndex[0]
        top.FullName = FAMILY
        top.FamilyName = FAMILY


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "source", type=Path, help="Noto Sans CJK SC (.otf or .ttc)"
    )
    args = parser.parse_args()
    font = open_source(args.source)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.layout_features = ["*"]
    options.hinting = False
    options.drop_tables += ["GSUB", "GPOS", "DSIG", "VORG", "vhea", "vmtx"]
    subsetter = subset.Subsetter(options)
    text = characters()
    subsetter.populate(text=text)
    subsetter.subset(font)
    rename(font)
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / "NotoSansCJKscSubset-Regular.otf"
    font.save(str(target))
    covered = len(set(text) & {chr(c) for c in font.getBestCmap()})
    print(f"{target.relative_to(ROOT)}: {target.stat().st_size} bytes, "
          f"{covered} of {len(text)} characters")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
