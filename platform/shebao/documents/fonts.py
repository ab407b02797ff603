"""The certificate font: Noto Sans SC cut down to what certificates print, with TrueType outlines.

fpdf2 embeds a subset of the font in every PDF, made by fontTools from the font object it was
given. With the full Noto Sans SC (8 MB, 30,000 CFF glyphs) that subset cost ~0.4 s a
document: fontTools loads the character map and metrics of every glyph, desubroutinises and
measures the CFF charstrings, compiles the CFF table twice.

So, once per install, ``derive()`` draws the glyphs of the characters a certificate can need
(``certificate_characters()``: ASCII, Latin-1, punctuation, CJK symbols, full-width forms and
the 7,445 characters of GB 2312, whose 6,763 hanzi hold most names) into a TrueType font
(quadratic outlines from fontTools' cu2qu, at most 1/1000 em from the original: invisible at
print sizes; ~13 s, 2 MB). It is cached in a file keyed by the source font's SHA-256
and ``RECIPE``. Each process loads it once (``CertificateFont``) and, for every document,
hands fpdf2 a font object holding only the glyphs that document uses (``for_glyphs``): fpdf2's
own subsetting then works on some 150 glyphs instead of 30,000.

A document with a character outside the set (a hanzi of a name outside GB 2312, such as 玥
or 喆) is printed with the full font, as before (``covers``): about 0.5 s.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont
    from fpdf.fonts import TTFFont

log = logging.getLogger(__name__)

#: Bump when the derivation (characters, outlines, tables) changes: old cache files are then
#: left alone and a new one is made.
RECIPE = 3

#: Outline tolerance of the cubic-to-quadratic conversion, in font units (1000 an em).
MAX_ERROR = 1.0

#: Tables fpdf2 reads or embeds; the others (layout, vertical metrics, CFF) are not kept.
_SMALL_TABLES = ("head", "hhea", "maxp", "OS/2", "post", "name")

_lock = threading.Lock()


def _ranges(*pairs: tuple[int, int]) -> Iterator[int]:
    for first, last in pairs:
        yield from range(first, last + 1)


def certificate_characters() -> frozenset[int]:
    """Code points the certificate font holds (those the source font has)."""
    chars = set(
        _ranges(
            (0x20, 0x7E),  # ASCII
            (0xA0, 0x17F),  # Latin-1 and Latin Extended-A (names in pinyin, ü)
            (0x2000, 0x206F),  # general punctuation (— … ‘’ “” ‰ ※)
            (0x20A0, 0x20CF),  # currency symbols (€)
            (0x2100, 0x218F),  # letterlike symbols, number forms (℃ № Ⅰ Ⅱ)
            (0x2190, 0x21FF),  # arrows
            (0x2200, 0x22FF),  # mathematical operators (− ≤ ≥ ≈)
            (0x2460, 0x24FF),  # enclosed numbers ① ⑴ ⒈
            (0x2500, 0x257F),  # box drawing
            (0x25A0, 0x25FF),  # geometric shapes (■ □ ● ○ △)
            (0x3000, 0x303F),  # CJK symbols and punctuation (、。《》「」【】〔〕)
            (0x3040, 0x30FF),  # kana (in GB 2312 too)
            (0x3200, 0x32FF),  # enclosed CJK (㈠ ㊣)
            (0xFF00, 0xFFEF),  # full-width forms (（），：；！？ ￥)
        )
    )
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


def source_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def derive(source: Path) -> TTFont:
    """The certificate font drawn from ``source`` (a CFF or TrueType font); seconds of work."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    font = TTFont(str(source), recalcTimestamp=False)
    best = font.getBestCmap()
    wanted = {code: best[code] for code in sorted(certificate_characters()) if code in best}
    keep = set(wanted.values())
    source_order = font.getGlyphOrder()
    order = [source_order[0], *(name for name in source_order[1:] if name in keep)]
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    metrics = font["hmtx"].metrics
    kept_metrics = {name: metrics[name] for name in order}

    for tag in list(font.keys()):
        if tag not in _SMALL_TABLES and tag != "GlyphOrder":
            del font[tag]
    # Short glyph names in the post table (format 2): reading names is much faster than
    # fontTools making them from the character map.
    names = {old: ".notdef" if index == 0 else f"g{index}" for index, old in enumerate(order)}
    font.setGlyphOrder([names[name] for name in order])
    glyf = newTable("glyf")
    glyf.glyphOrder = font.getGlyphOrder()
    glyf.glyphs = {names[name]: glyphs[name] for name in order}
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    hmtx = newTable("hmtx")
    hmtx.metrics = {names[name]: kept_metrics[name] for name in order}
    font["hmtx"] = hmtx
    cmap = newTable("cmap")
    cmap.tableVersion = 0
    subtable = CmapSubtable.newSubtable(4)
    subtable.platformID, subtable.platEncID, subtable.language = 3, 1, 0
    subtable.cmap = {code: names[name] for code, name in wanted.items() if code <= 0xFFFF}
    cmap.tables = [subtable]
    font["cmap"] = cmap
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attribute in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attribute, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"
    return font


def default_cache_dir() -> Path:
    """The service's cache folder when systemd gives it one (``CacheDirectory=``, announced in
    ``$CACHE_DIRECTORY``: kept across restarts, where a private /tmp is not), else a folder of
    the system's temporary directory owned by this user."""
    given = os.environ.get("CACHE_DIRECTORY", "").split(":")[0]
    if given:
        return Path(given) / "fonts"
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    return Path(tempfile.gettempdir()) / f"shebao-fonts-{uid}"


def _usable(folder: Path) -> bool:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError:
        return False
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        log.warning("font cache %s belongs to another user; not used", folder)
        return False
    return os.access(folder, os.W_OK)


@contextlib.contextmanager
def _file_lock(path: Path):
    """Held while one process derives the font (the others wait, then read its file)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _save_atomically(font: TTFont, target: Path) -> None:
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            font.save(file)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def certificate_font_bytes(source: Path, cache_dir: Path | None = None) -> bytes:
    """The certificate font derived from ``source``: read from the cache, or derived (and
    cached when the cache folder can be written)."""
    import io

    folder = cache_dir if cache_dir is not None else default_cache_dir()
    name = f"{source.stem}-certificate-{source_digest(source)[:20]}-r{RECIPE}.ttf"
    target = folder / name
    if target.is_file():
        return target.read_bytes()
    if not _usable(folder):
        log.warning("no writable font cache at %s: deriving the certificate font in memory", folder)
        buffer = io.BytesIO()
        derive(source).save(buffer)
        return buffer.getvalue()
    with _file_lock(folder / f"{name}.lock"):
        if not target.is_file():
            log.info("deriving the certificate font from %s into %s", source, target)
            _save_atomically(derive(source), target)
        return target.read_bytes()


class CertificateFont:
    """The certificate font parsed once per process: fpdf2's font (character map, widths)
    and the raw glyph outlines, from which each document's font object is assembled."""

    def __init__(self, data: bytes, family: str):
        import io

        from fpdf import FPDF
        from fpdf.fonts import TTFFont

        self.template: TTFFont = TTFFont(FPDF(), io.BytesIO(data), family.lower(), "")
        ttfont = self.template.ttfont
        self.glyph_order: list[str] = list(ttfont.getGlyphOrder())
        self.glyph_id = {name: index for index, name in enumerate(self.glyph_order)}
        glyf = ttfont["glyf"]
        self.outlines: dict[str, bytes] = {
            name: glyf.glyphs[name].data if hasattr(glyf.glyphs[name], "data") else b""
            for name in self.glyph_order
        }
        self.metrics: dict[str, tuple[int, int]] = dict(ttfont["hmtx"].metrics)
        self.tables: dict[str, bytes] = {tag: ttfont.reader[tag] for tag in _SMALL_TABLES}
        # Documents' fonts need no glyph names: their post table is the header alone (format 3).
        self.tables["post"] = b"\x00\x03\x00\x00" + self.tables["post"][4:32]
        self.codes = frozenset(self.template.cmap)
        # Nothing reads the template's fontTools object again: documents get their own.
        self.template.ttfont = None
        ttfont.close()

    def covers(self, text: Iterable[str]) -> bool:
        codes = self.codes
        return all(ord(char) in codes for char in text if char >= " ")

    def for_glyphs(self, names: Iterable[str], unicodes: dict[int, str]) -> TTFont:
        """A fontTools font of just these glyphs (and the first four, which fontTools keeps
        in every subset), in the certificate font's order, for fpdf2 to subset and embed.

        ``unicodes`` (code point → glyph name) becomes its character map."""
        from fontTools.ttLib import TTFont, newTable
        from fontTools.ttLib.tables._c_m_a_p import CmapSubtable
        from fontTools.ttLib.tables._g_l_y_f import Glyph

        glyph_id = self.glyph_id
        wanted = {name for name in names if name in glyph_id}
        wanted.update(self.glyph_order[:4])
        order = sorted(wanted, key=glyph_id.__getitem__)
        font = TTFont(recalcBBoxes=False, recalcTimestamp=False)
        font.setGlyphOrder(order)
        for tag in _SMALL_TABLES:
            table = newTable(tag)
            table.decompile(self.tables[tag], font)
            font[tag] = table
        glyf = newTable("glyf")
        glyf.glyphOrder = order
        glyf.glyphs = {name: Glyph(self.outlines[name]) for name in order}
        font["glyf"] = glyf
        font["loca"] = newTable("loca")
        hmtx = newTable("hmtx")
        hmtx.metrics = {name: self.metrics[name] for name in order}
        font["hmtx"] = hmtx
        cmap = newTable("cmap")
        cmap.tableVersion = 0
        subtable = CmapSubtable.newSubtable(4)
        subtable.platformID, subtable.platEncID, subtable.language = 3, 1, 0
        subtable.cmap = {code: name for code, name in unicodes.items() if name in wanted}
        cmap.tables = [subtable]
        font["cmap"] = cmap
        return font
