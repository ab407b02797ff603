"""A4 certificates as PDF (fpdf2) with Noto Sans SC from ``pylopdf-fonts-zh-cn``.

Parsing the CJK font (character map and widths of ~30,000 glyphs) costs most of the time of a
one-page document, so it is done once per process: ``_parsed_font()`` keeps a parsed
``TTFFont`` and every document gets a cheap copy that shares the read-only tables (map,
widths, descriptor) but has its own fontTools object and subset, because fpdf2 subsets the
font object in place when it writes the file.

The renderer knows nothing about insurance: a ``Document`` is a title, facts (label, value),
sections (tables and paragraphs), the issuer, a serial number and a verification code with
its URL. Every page carries the serial number, "page x of y" and the verification code;
tables that run past a page repeat their header.
"""

from __future__ import annotations

import copy
import io
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import segno
from fontTools import ttLib
from fpdf import FPDF, FontFace
from fpdf.fonts import SubsetMap, TTFFont

FAMILY = "NotoSansSC"
_lock = threading.Lock()


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
    """The font parsed once per process (kept as a template, never written itself)."""
    with _lock:
        pdf = FPDF()
        pdf.add_font(FAMILY, "", str(font_path()))
        return pdf.fonts[FAMILY.lower()]


def _fresh_copy(template: TTFFont, index: int) -> TTFFont:
    """A document's own font object: shared read-only tables, its own fontTools font and subset."""
    font = copy.copy(template)  # TTFFont.__copy__ is not defined: copy the slots
    font.i = index
    font.ttfont = ttLib.TTFont(io.BytesIO(_font_bytes()), recalcTimestamp=False, lazy=True)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font._hbfont = None
    font.subset = SubsetMap(font)
    return font


def _install_font(pdf: FPDF, *, shared: bool) -> None:
    if not shared:
        pdf.add_font(FAMILY, "", str(font_path()))
        return
    key = FAMILY.lower()
    pdf.fonts[key] = _fresh_copy(_parsed_font(), len(pdf.fonts) + 1)


def warm_up() -> None:
    """Parse the font now (e.g. at start-up) rather than on the first document."""
    _parsed_font()


class _Certificate(FPDF):
    document: Document

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
        self.cell(0, 4, f"{labels.serial}: {doc.serial}    {page}", new_x="LMARGIN", new_y="NEXT")
        self.cell(0, 4, f"{labels.code}: {doc.code}", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)


def render_pdf(document: Document, *, shared_font: bool = True) -> bytes:
    """The document as PDF bytes. ``shared_font=False`` parses the font for this document only
    (what the benchmark compares against)."""
    pdf = _Certificate(orientation="portrait", unit="mm", format="A4")
    pdf.document = document
    pdf.set_creator("Shebao")
    pdf.set_title(document.title)
    pdf.set_author(document.issuer)
    _install_font(pdf, shared=shared_font)
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
        pdf.multi_cell(text_width, 6, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), top + 32))
    pdf.ln(2)

    for section in document.sections:
        if isinstance(section, str):
            pdf.set_font(FAMILY, size=10)
            pdf.multi_cell(0, 6, section, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
            continue
        _table(pdf, section)

    pdf.ln(4)
    pdf.set_font(FAMILY, size=10)
    pdf.multi_cell(0, 6, f"{labels.issuer}: {document.issuer}", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, f"{labels.issued_on}: {document.issued_on}", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, f"{labels.code}: {document.code}", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, f"{labels.verify}: {document.verify_url}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _table(pdf: FPDF, table: Table) -> None:
    pdf.set_font(FAMILY, size=11)
    pdf.multi_cell(0, 7, table.caption, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=9)
    align = tuple("RIGHT" if column.number else "LEFT" for column in table.columns)
    with pdf.table(
        col_widths=tuple(column.width for column in table.columns),
        text_align=align,
        headings_style=FontFace(emphasis="", fill_color=(230, 230, 230)),
        repeat_headings=1,
        line_height=5.5,
    ) as out:
        heading = out.row()
        for column in table.columns:
            heading.cell(column.heading)
        for values in table.rows:
            row = out.row()
            for value in values:
                row.cell(str(value))
        if table.footer is not None:
            row = out.row(style=FontFace(emphasis="", fill_color=(245, 245, 245)))
            for value in table.footer:
                row.cell(str(value))
    pdf.ln(4)
