"""The PDF renderer (shebao.documents): certificates print with the certificate font (Noto Sans
SC cut down to what certificates need, TrueType outlines, cached per install); a document with
a character outside it prints with the full font; the text (pdftotext) is the same either way;
tables wrap, frame and repeat their heading; importing the renderer loads no PDF library."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from shebao.core.settings import PROJECT_ROOT
from shebao.documents import fonts, pdf
from shebao.documents.pdf import Column, Document, Labels, Table

ZH = Labels(
    serial="流水号",
    page="第 {page} 页 共 {pages} 页",
    code="验证码",
    verify="本证明可在以下网址核验",
    issued_on="出具日期",
    issuer="出具单位",
)
TYPES = ("职工基本养老保险", "职工基本医疗保险", "失业保险", "工伤保险", "生育保险")


def rights_record(name: str = "张伟", rows: int = 5, labels: Labels = ZH) -> Document:
    types = (TYPES * (rows // len(TYPES) + 1))[:rows]
    return Document(
        title="个人权益记录",
        issuer="滨州市社会保险事业中心",
        serial="BI20261125ABCDEF0123",
        code="FMN_L9abyLYIaNisZan40BZCVClkYZUA",
        verify_url="https://binzhou.localhost/verify/FMN_L9abyLYIaNisZan40BZCVClkYZUA",
        issued_on="2026-11-25",
        facts=(("姓名", name), ("身份证号码", "3716**********0019")),
        sections=(
            Table(
                caption="2024年度各险种权益记录",
                columns=(
                    Column("险种", 2.2),
                    Column("月平均缴费基数（元）", 1.5, True),
                    Column("缴费月数", 1, True),
                    Column("个人缴纳（元）", 1.4, True),
                    Column("单位缴纳（元）", 1.4, True),
                ),
                rows=tuple(
                    (kind, "5,000.00", str(index), "4,800.00", "9,600.00")
                    for index, kind in enumerate(types, start=1)
                ),
                footer=("合计", "", "", "24,000.00", "48,000.00"),
            ),
            "2024年末养老保险个人账户余额：56,789.00 元",
        ),
        labels=labels,
    )


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")


def font_types(data: bytes, tmp_path: Path) -> list[str]:
    """The embedded fonts' types as pdffonts names them."""
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    listing = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, check=True, text=True
    ).stdout
    return [re.split(r"\s{2,}", line.strip())[1] for line in listing.splitlines()[2:]]


def test_a_certificate_prints_with_the_certificate_font(tmp_path):
    data = pdf.render_pdf(rights_record())
    text = pdf_text(data)
    for expected in ("个人权益记录", "姓名: 张伟", "滨州市社会保险事业中心", "第 1 页 共 1 页"):
        assert expected in text
    assert re.search(r"职工基本养老保险\s+5,000.00\s+1\s+4,800.00\s+9,600.00", text)
    assert re.search(r"合计\s+24,000.00\s+48,000.00", text)
    assert "/verify/FMN_L9abyLYIaNisZan40BZCVClkYZUA" in text
    assert font_types(data, tmp_path) == ["CID TrueType"]


def test_a_rare_character_prints_with_the_full_font(tmp_path):
    # 玥 is in Noto Sans SC, not in GB 2312: the whole document takes the full font.
    assert ord("玥") not in fonts.certificate_characters()
    data = pdf.render_pdf(rights_record(name="王玥"))
    assert "姓名: 王玥" in pdf_text(data)
    assert font_types(data, tmp_path) == ["CID Type 0C"]


def test_both_fonts_print_the_same_text_in_the_same_places():
    document = rights_record(rows=40)
    certificate = pdf_text(pdf.render_pdf(document))
    full = pdf_text(pdf.render_pdf(document, certificate_font=False))
    assert certificate == full
    assert certificate.count("\f") == 2  # two pages


def test_long_tables_wrap_their_cells_and_repeat_the_heading():
    long_name = "Employees' basic pension insurance of urban and rural residents"
    document = Document(
        title="Personal rights record",
        issuer="Binzhou Social Insurance Centre",
        serial="BI20261125ABCDEF0123",
        code="FMN_L9abyLYIaNisZan40BZCVClkYZUA",
        verify_url="https://binzhou.localhost/verify/FMN_L9abyLYIaNisZan40BZCVClkYZUA",
        issued_on="2026-11-25",
        facts=(("Name", "Zhang Wei"),),
        sections=(
            Table(
                caption="Statement of 2024 by insurance type",
                columns=(
                    Column("Insurance type", 2.2),
                    Column("Average monthly base (yuan)", 1.5, True),
                    Column("Months paid", 1, True),
                ),
                rows=tuple((f"{long_name} {n}", "5,000.00", str(n)) for n in range(1, 41)),
                footer=("Total", "", "480"),
            ),
        ),
    )
    pages = [page for page in pdf_text(pdf.render_pdf(document)).split("\f") if page.strip()]
    assert len(pages) >= 2
    text = "\n".join(pages)
    # A name too long for its column is broken over lines, none of its words lost.
    assert (
        len(re.findall(r"Employees' basic pension insurance of urban and rural\s*\n", text)) == 40
    )
    assert all(f"residents {n}\n" in text for n in range(1, 41))
    assert re.search(r"Total\s+480", text)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    # Every page with rows of the table starts them under the heading.
    with_rows = [page for page in pages if "residents" in page]
    assert len(with_rows) >= 2
    for page in with_rows:
        assert re.search(r"Insurance type\s+Average monthly base[^\n]*\n(.*\n)*.*Employees", page)


def test_the_fixed_text_of_every_certificate_is_in_the_certificate_font():
    """The Chinese catalogue and every city's settings (office names, addresses): a new
    character there would send every document to the slow full-font path."""
    with open(
        PROJECT_ROOT / "platform/shebao/translations/zh/LC_MESSAGES/messages.po", "rb"
    ) as handle:
        texts = [
            "".join(message.string) if isinstance(message.string, tuple) else message.string
            for message in read_po(handle)
        ]
    for folder in (PROJECT_ROOT / "cities", PROJECT_ROOT / "tests/fixtures/cities"):
        texts += [path.read_text("utf-8") for path in folder.rglob("*.yaml")]
    known = fonts.certificate_characters()
    missing = sorted(
        {char for text in texts for char in text if char >= " "} - set(map(chr, known))
    )
    assert not missing


@pytest.fixture(scope="module")
def small_source(tmp_path_factory) -> Path:
    """A few glyphs of Noto Sans SC (CFF outlines), to derive from in a moment."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(pdf.font_path()))
    subsetter = subset.Subsetter(subset.Options(notdef_outline=True))
    subsetter.populate(text="张伟玥AB0")
    subsetter.subset(font)
    path = tmp_path_factory.mktemp("source") / "Small.otf"
    font.save(str(path))
    return path


def test_the_derived_font_is_cached_by_the_source_hash(small_source, tmp_path, monkeypatch):
    from fontTools.ttLib import TTFont

    cache = tmp_path / "cache"
    data = fonts.certificate_font_bytes(small_source, cache)
    (cached,) = cache.glob("*.ttf")
    assert fonts.source_digest(small_source)[:20] in cached.name
    assert cached.read_bytes() == data
    derived = TTFont(io.BytesIO(data))
    assert "glyf" in derived and "CFF " not in derived
    # Only the certificate characters: 玥 (outside GB 2312) is not drawn.
    assert set(derived.getBestCmap()) == {ord(c) for c in "张伟AB0"}

    def derive_again(source):
        raise AssertionError("derived again although cached")

    monkeypatch.setattr(fonts, "derive", derive_again)
    assert fonts.certificate_font_bytes(small_source, cache) == data


def test_derived_outlines_keep_the_shapes_and_widths_of_the_source(small_source, tmp_path):
    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.ttLib import TTFont

    source = TTFont(str(small_source))
    derived = TTFont(io.BytesIO(fonts.certificate_font_bytes(small_source, tmp_path)))
    source_glyphs, derived_glyphs = source.getGlyphSet(), derived.getGlyphSet()
    source_map, derived_map = source.getBestCmap(), derived.getBestCmap()
    for char in "张伟AB0":
        bounds = []
        for glyphs, names in ((source_glyphs, source_map), (derived_glyphs, derived_map)):
            pen = BoundsPen(glyphs)
            glyphs[names[ord(char)]].draw(pen)
            bounds.append(pen.bounds)
        assert bounds[0] is not None
        assert all(abs(a - b) <= 2 for a, b in zip(*bounds, strict=True)), char
        assert (
            source["hmtx"][source_map[ord(char)]][0] == derived["hmtx"][derived_map[ord(char)]][0]
        )


def test_without_a_certificate_font_documents_print_with_the_full_font(monkeypatch, tmp_path):
    def unavailable(source, cache_dir=None):
        raise OSError("disk full")

    monkeypatch.setattr(fonts, "certificate_font_bytes", unavailable)
    pdf._certificate_font.cache_clear()
    try:
        data = pdf.render_pdf(rights_record())
    finally:
        monkeypatch.undo()
        pdf._certificate_font.cache_clear()
    assert "姓名: 张伟" in pdf_text(data)
    assert font_types(data, tmp_path) == ["CID Type 0C"]


def test_importing_the_renderer_loads_no_pdf_library():
    code = (
        "import sys\n"
        "from shebao.documents.pdf import Column, Document, Labels, Table, font_path, "
        "render_pdf, warm_up\n"
        "print(sorted(m for m in ('fpdf', 'fontTools', 'segno') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_font_cache_is_the_service_cache_folder_systemd_gives(monkeypatch, tmp_path):
    monkeypatch.setenv("CACHE_DIRECTORY", f"{tmp_path}/shebao:{tmp_path}/other")
    assert fonts.default_cache_dir() == tmp_path / "shebao" / "fonts"
    monkeypatch.delenv("CACHE_DIRECTORY")
    assert fonts.default_cache_dir().name.startswith("shebao-fonts-")


def test_printing_logs_nothing_of_the_font_library_at_info(caplog):
    import logging

    with caplog.at_level(logging.INFO):
        pdf.render_pdf(rights_record(name="王玥"))  # the full font: subset at print time
        pdf.render_pdf(rights_record())
    assert not [r for r in caplog.records if r.name.startswith("fontTools")]
