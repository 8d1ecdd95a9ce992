"""Regenerate camp/fonts/NotoSansSC-subset.otf, the one font the server's charts draw with.

    .venv/bin/python camp/fonts/make_subset.py [/path/to/NotoSansCJK-Regular.ttc]

It takes the Simplified Chinese face of Noto Sans CJK (SIL Open Font License 1.1; Debian's
fonts-noto-cjk package installs the collection at the default path) and keeps the characters a
chart may show: all of GB 2312 (its 6,763 hanzi and its symbols), ASCII, Latin-1's signs,
general and CJK punctuation, full-width forms, and the name characters outside GB 2312 listed
below. The result is deterministic for a given source font, a few MB, and committed; matplotlib
never needs a system font (camp/charts.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
TARGET = Path(__file__).resolve().parent / "NotoSansSC-subset.otf"
FAMILY = "Noto Sans SC Camp Subset"
POSTSCRIPT = "NotoSansSCCampSubset-Regular"

# Characters common in given names that GB 2312 lacks (they are in GBK and the 2013 通用规范汉字表):
# a trainee named 王喆 must not print as 王□.
NAME_EXTRAS = "喆堃昇玥珺琍旻赟翀镕犇垚燚祎璟瑄"


def gb2312() -> set[str]:
    """Every character GB 2312 encodes: rows 0xA1–0xF7, cells 0xA1–0xFE."""
    characters = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                characters.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return characters


def wanted() -> set[int]:
    characters = gb2312() | set(NAME_EXTRAS)
    ranges = [
        (0x20, 0x7E),  # ASCII
        (0xA0, 0xFF),  # Latin-1 signs: °, ×, ÷, ·, ±
        (0x2010, 0x2027),  # dashes (the distribution's "0–30"), quotes, ellipsis
        (0x2030, 0x203B),  # ‰, primes
        (0x2212, 0x2212),  # the minus sign matplotlib draws on negative ticks
        (0x2460, 0x2473),  # ①–⑳
        (0x3000, 0x303F),  # CJK punctuation: 、。「」《》【】
        (0xFF01, 0xFF5E),  # full-width forms: （），：；％
        (0xFFE0, 0xFFE6),  # full-width signs: ￥
    ]
    codepoints = {ord(character) for character in characters}
    for first, last in ranges:
        codepoints.update(range(first, last + 1))
    return codepoints


def simplified_chinese_face(collection: TTCollection):
    for font in collection.fonts:
        if font["name"].getDebugName(6) == "NotoSansCJKsc-Regular":
            return font
    raise SystemExit("no NotoSansCJKsc-Regular face in the collection")


def rename(font) -> None:
    """A subset is a Modified Version under the OFL: it gets its own names (the licence text,
    copyright and trademark records are kept)."""
    table = font["name"]
    for record in list(table.names):
        if record.nameID in (16, 17, 21, 22):  # typographic names: the plain ones suffice
            table.removeNames(nameID=record.nameID)
    for name_id, value in (
        (1, FAMILY),
        (3, f"{POSTSCRIPT};camp"),
        (4, FAMILY),
        (6, POSTSCRIPT),
    ):
        table.setName(value, name_id, 3, 1, 0x409)
        table.setName(value, name_id, 1, 0, 0)
    # Keep only English and Chinese name records, dropping the Japanese and Korean ones.
    table.names = [
        record
        for record in table.names
        if record.platformID != 3 or record.langID in (0x409, 0x804)
    ]
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [POSTSCRIPT]
        top = cff.topDictIndex[0]
        top.FullName = FAMILY
        top.FamilyName = FAMILY


def main(source: Path = SOURCE, target: Path = TARGET) -> None:
    collection = TTCollection(str(source))
    font = simplified_chinese_face(collection)
    options = subset.Options()
    options.layout_features = ["*"]  # vertical forms and proportional punctuation stay
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(wanted()))
    subsetter.subset(font)
    rename(font)
    font.recalcTimestamp = False  # the same source gives the same bytes
    font.save(str(target))
    print(f"{target}: {len(font.getBestCmap())} characters, {target.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)
