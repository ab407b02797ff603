"""A4 certificates as PDF (fpdf2) with Noto Sans SC from ``pylopdf-fonts-zh-cn``.

Documents are printed with the certificate font (``fonts.py``): Noto Sans SC cut down once
per install to the characters certificates need, with TrueType outlines, loaded once per
process; each document hands fpdf2 a font object of just the glyphs it uses, so embedding the
font subset costs milliseconds. A document with a character outside that font (a rare hanzi in
a name) is printed with the full font, parsed once per process when first needed
(``_parsed_font()``): every document gets a cheap copy that shares the read-only tables (map,
widths, descriptor) but has its own fontTools object and subset, because fpdf2 subsets the
font object in place when it writes the file.

The renderer knows nothing about insurance: a ``Document`` is a title, facts (label, value),
sections (tables and paragraphs), the issuer, a serial number and a verification code with
its URL. Every page carries the serial number, "page x of y" and the verification code;
tables that run past a page repeat their header.

fpdf2, fontTools and segno are imported when the first document is printed (or at
``warm_up()``), not when this module is imported: they cost a start-up a few tenths of a second.
"""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fpdf import FPDF
    from fpdf.fonts import TTFFont

    from .fonts import CertificateFont

FAMILY = "NotoSansSC"
_KEY = FAMILY.lower()
_lock = threading.Lock()
log = logging.getLogger(__name__)
# fontTools reports every subsetting step at INFO, some fifteen lines a document: with the
# production logs at INFO (one JSON line a request) they would bury the requests.
logging.getLogger("fontTools").setLevel(logging.WARNING)
#: Where the certificate font is cached (``warm_up(cache_dir=...)``); None: the default.
_cache_dir: Path | None = None


def font_path() -> Path:
    from pylopdf_fonts_zh_cn import sans_path

    return sans_path()


@dataclass(frozen=True)
class Column:
    heading: str
    width: float = 1
    """Relative width."""
    number: bool = False
    """Right-aligned (amounts, counts)."""


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    footer: tuple[str, ...] | None = None
    """The totals row, printed last."""


@dataclass(frozen=True)
class Labels:
    """The words the page furniture needs, already in the reader's language."""

    serial: str = "Serial number"
    page: str = "Page {page} of {pages}"
    code: str = "Verification code"
    verify: str = "Check this document at"
    issued_on: str = "Date of issue"
    issuer: str = "Issued by"


@dataclass(frozen=True)
class Document:
    title: str
    issuer: str
    serial: str
    code: str
    verify_url: str
    issued_on: str
    facts: tuple[tuple[str, str], ...] = ()
    sections: tuple[Table | str, ...] = ()
    labels: Labels = field(default_factory=Labels)


@lru_cache(maxsize=1)
def _font_bytes() -> bytes:
    return font_path().read_bytes()


@lru_cache(maxsize=1)
def _parsed_font() -> TTFFont:
    """The full font parsed once per process (kept as a template, never written itself)."""
    from fpdf import FPDF

    with _lock:
        pdf = FPDF()
        pdf.add_font(FAMILY, "", str(font_path()))
        return pdf.fonts[_KEY]


@lru_cache(maxsize=1)
def _certificate_font() -> CertificateFont | None:
    """The certificate font, once per process; None (the full font for every document) when
    it cannot be made, which is logged."""
    from .fonts import CertificateFont, certificate_font_bytes

    with _lock:
        try:
            return CertificateFont(certificate_font_bytes(font_path(), _cache_dir), FAMILY)
        except Exception:
            log.exception("no certificate font: documents are printed with the full font")
            return None


def _fresh_copy(template: TTFFont, index: int, *, full: bool) -> TTFFont:
    """A document's own font object: shared read-only tables (map, widths, descriptor), its
    own subset and fontTools font: of the full font, or (``full=False``) none until the
    certificate font's glyphs are known (``_producer_class``)."""
    import copy

    from fontTools import ttLib
    from fpdf.fonts import SubsetMap

    font = copy.copy(template)  # TTFFont.__copy__ is not defined: copy the slots
    font.i = index
    font.ttfont = (
        ttLib.TTFont(io.BytesIO(_font_bytes()), recalcTimestamp=False, lazy=True) if full else None
    )
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font._hbfont = None
    font.subset = SubsetMap(font)
    return font


def warm_up(cache_dir: str | Path | None = None) -> None:
    """Load the certificate font now (e.g. at start-up) rather than on the first document;
    the first time on a machine this derives it (some seconds) into ``cache_dir`` (by
    default a folder of the system's temporary directory)."""
    global _cache_dir
    if cache_dir is not None and _cache_dir != Path(cache_dir):
        _cache_dir = Path(cache_dir)
        _certificate_font.cache_clear()
    _certificate_font()


def _characters(document: Document) -> Iterator[str]:
    """Every text the document prints."""
    labels = document.labels
    yield from (document.title, document.issuer, document.serial, document.code)
    yield from (document.verify_url, document.issued_on)
    yield from (labels.serial, labels.page, labels.code, labels.verify)
    yield from (labels.issued_on, labels.issuer)
    for label, value in document.facts:
        yield label
        yield value
    for section in document.sections:
        if isinstance(section, str):
            yield section
            continue
        yield section.caption
        yield from (column.heading for column in section.columns)
        for values in section.rows:
            yield from map(str, values)
        if section.footer is not None:
            yield from map(str, section.footer)


@lru_cache(maxsize=1)
def _certificate_class() -> type[FPDF]:
    from fpdf import FPDF

    class Certificate(FPDF):
        document: Document
        small_font: CertificateFont | None = None

        def header(self) -> None:
            doc = self.document
            self.set_font(FAMILY, size=9)
            self.set_text_color(80, 80, 80)
            self.cell(0, 5, doc.issuer, new_x="LMARGIN", new_y="NEXT")
            self.set_text_color(0, 0, 0)
            self.ln(2)

        def footer(self) -> None:
            doc = self.document
            labels = doc.labels
            self.set_y(-18)
            self.set_font(FAMILY, size=8)
            self.set_text_color(80, 80, 80)
            page = labels.page.format(page=self.page_no(), pages="{nb}")
            self.cell(
                0, 4, f"{labels.serial}: {doc.serial}    {page}", new_x="LMARGIN", new_y="NEXT"
            )
            self.cell(0, 4, f"{labels.code}: {doc.code}", new_x="LMARGIN", new_y="NEXT")
            self.set_text_color(0, 0, 0)

    return Certificate


@lru_cache(maxsize=1)
def _producer_class() -> type:
    """fpdf2's output producer that first gives the document's font object the glyphs it
    uses from the certificate font (after the last footer is laid out, before the font is
    subset and embedded)."""
    from fpdf.output import OutputProducer

    class Producer(OutputProducer):
        def bufferize(self) -> bytearray:
            small: CertificateFont = self.fpdf.small_font
            font = self.fpdf.fonts[_KEY]
            used = [glyph for glyph, _ in font.subset.items() if glyph is not None]
            font.ttfont = small.for_glyphs(
                (glyph.glyph_name for glyph in used),
                {glyph.unicode[0]: glyph.glyph_name for glyph in used if glyph.unicode[0]},
            )
            return super().bufferize()

    return Producer


def render_pdf(
    document: Document, *, shared_font: bool = True, certificate_font: bool = True
) -> bytes:
    """The document as PDF bytes.

    ``certificate_font=False`` prints with the full font parsed once per process (what a
    document with a character outside the certificate font gets); ``shared_font=False``
    parses the full font for this document only. Both are there for the benchmarks."""
    import segno

    pdf = _certificate_class()(orientation="portrait", unit="mm", format="A4")
    pdf.document = document
    pdf.set_creator("Shebao")
    pdf.set_title(document.title)
    pdf.set_author(document.issuer)
    small = _certificate_font() if certificate_font and shared_font else None
    if small is not None and not small.covers("".join(_characters(document))):
        small = None
    if small is not None:
        pdf.fonts[_KEY] = _fresh_copy(small.template, len(pdf.fonts) + 1, full=False)
    elif shared_font:
        pdf.fonts[_KEY] = _fresh_copy(_parsed_font(), len(pdf.fonts) + 1, full=True)
    else:
        pdf.add_font(FAMILY, "", str(font_path()))
    pdf.set_auto_page_break(auto=True, margin=22)
    pdf.alias_nb_pages()
    pdf.add_page()
    labels = document.labels

    pdf.set_font(FAMILY, size=16)
    pdf.cell(0, 10, document.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    qr = segno.make(document.verify_url, error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=4, border=2)
    buffer.seek(0)
    top = pdf.get_y()
    pdf.image(buffer, x=pdf.w - pdf.r_margin - 30, y=top, w=30, h=30)

    pdf.set_font(FAMILY, size=10)
    text_width = pdf.epw - 34
    for label, value in document.facts:
        _paragraph(pdf, text_width, 6, f"{label}: {value}")
    pdf.set_y(max(pdf.get_y(), top + 32))
    pdf.ln(2)

    for section in document.sections:
        if isinstance(section, str):
            pdf.set_font(FAMILY, size=10)
            _paragraph(pdf, 0, 6, section)
            pdf.ln(2)
            continue
        _table(pdf, section)

    pdf.ln(4)
    pdf.set_font(FAMILY, size=10)
    _paragraph(pdf, 0, 6, f"{labels.issuer}: {document.issuer}")
    _paragraph(pdf, 0, 6, f"{labels.issued_on}: {document.issued_on}")
    _paragraph(pdf, 0, 6, f"{labels.code}: {document.code}")
    _paragraph(pdf, 0, 6, f"{labels.verify}: {document.verify_url}")
    if small is None:
        return bytes(pdf.output())
    pdf.small_font = small
    return bytes(pdf.output(output_producer_class=_producer_class()))


#: Table text: size (pt), line height (mm), fills of the heading and totals rows (grey levels).
_TABLE_SIZE = 9
_LINE = 5.5
_HEADING_FILL = 230
_FOOTER_FILL = 245


def _lines(pdf: FPDF, width: float, text: str) -> list[str]:
    """``text`` broken into the lines fpdf2's ``multi_cell`` would print in ``width``; the
    common case of a line that fits is found by one width measurement."""
    if "\n" not in text and pdf.get_string_width(text) < width - 2 * pdf.c_margin - 0.01:
        return [text]
    return pdf.multi_cell(width, _LINE, text, dry_run=True, output="LINES")


def _paragraph(pdf: FPDF, width: float, height: float, text: str) -> None:
    """``multi_cell(width, height, text)`` onto the next line; a ``cell`` when one line holds
    it (the same text at the same place, without the line-breaking machinery)."""
    room = width or (pdf.w - pdf.r_margin - pdf.x)
    if "\n" not in text and pdf.get_string_width(text) < room - 2 * pdf.c_margin - 0.01:
        pdf.cell(room, height, text, new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.multi_cell(width, height, text, new_x="LMARGIN", new_y="NEXT")


def _table(pdf: FPDF, table: Table) -> None:
    """The table across the page width: a grey heading row (repeated at the top of each new
    page, never left alone at the bottom of one), the rows, a light grey totals row; every
    cell framed, its text vertically centred, wrapped where it does not fit."""
    pdf.set_font(FAMILY, size=11)
    _paragraph(pdf, 0, 7, table.caption)
    pdf.set_font(FAMILY, size=_TABLE_SIZE)
    total = sum(column.width for column in table.columns)
    widths = [pdf.epw * column.width / total for column in table.columns]
    lefts = [pdf.l_margin + sum(widths[:index]) for index in range(len(widths))]
    aligns = ["R" if column.number else "L" for column in table.columns]

    def laid_out(values) -> tuple[list[list[str]], float]:
        cells = [
            _lines(pdf, width, str(value)) for width, value in zip(widths, values, strict=False)
        ]
        return cells, max((len(lines) for lines in cells), default=1) * _LINE

    def draw(cells: list[list[str]], height: float, fill: int | None) -> None:
        top = pdf.y
        if fill is not None:
            pdf.set_fill_color(fill)
        for left, width, align, lines in zip(lefts, widths, aligns, cells, strict=False):
            pdf.rect(left, top, width, height, style="D" if fill is None else "DF")
            y = top + (height - len(lines) * _LINE) / 2
            for line in lines:
                if line:
                    pdf.set_xy(left, y)
                    pdf.cell(width, _LINE, line, align=align)
                y += _LINE
        pdf.set_xy(pdf.l_margin, top + height)

    heading = laid_out(column.heading for column in table.columns)
    rows = [(*laid_out(values), None) for values in table.rows]
    if table.footer is not None:
        rows.append((*laid_out(table.footer), _FOOTER_FILL))
    first = rows[0][1] if rows else 0
    if pdf.will_page_break(heading[1] + first):
        pdf.add_page()
    draw(*heading, _HEADING_FILL)
    for cells, height, fill in rows:
        if pdf.will_page_break(height):
            pdf.add_page()
            draw(*heading, _HEADING_FILL)
        draw(cells, height, fill)
    pdf.ln(4)
