"""How many certificate PDFs a process prints per second, with the CJK font parsed once per
process (what the platform does) against parsing it for every document, side by side.

The document is a typical contribution certificate: a Chinese title, the person's facts, a
QR code, a summary table and a year of five insurance types month by month (60 rows, two A4
pages, the header repeated). No database: only the renderer (fpdf2 + Noto Sans SC) is timed.
The first document of each kind is rendered before timing (imports, first font parse).
"""

from __future__ import annotations

import time

DOCUMENTS = 10


def _document():
    from shebao.documents.pdf import Column, Document, Labels, Table

    types = ("职工养老保险", "职工医疗保险", "失业保险", "工伤保险", "生育保险")
    rows = tuple(
        (f"2024-{month:02d}", name, "5,000.00", "400.00", "800.00", "已缴费")
        for month in range(1, 13)
        for name in types
    )
    return Document(
        title="职工社保缴费证明",
        issuer="滨州市社会保险事业中心",
        serial="BI20261125ABCDEF0123",
        code="FMN_L9abyLYIaNisZan40BZCVClkYZUA",
        verify_url="https://binzhou.localhost/verify/FMN_L9abyLYIaNisZan40BZCVClkYZUA",
        issued_on="2026-11-25",
        facts=(("姓名", "张三"), ("身份证号码", "3716**********0019"), ("期间", "2024")),
        sections=(
            Table(
                caption="参保险种",
                columns=(
                    Column("险种", 2),
                    Column("首次参保年月"),
                    Column("累计缴费月数", 1, True),
                ),
                rows=tuple((name, "2010-01", "180") for name in types),
            ),
            Table(
                caption="2024年逐月缴费明细",
                columns=(
                    Column("缴费年月"),
                    Column("险种", 2),
                    Column("缴费基数（元）", 1.3, True),
                    Column("个人缴纳（元）", 1.3, True),
                    Column("单位缴纳（元）", 1.3, True),
                    Column("状态"),
                ),
                rows=rows,
                footer=("合计", "", "", "4,800.00", "9,600.00", ""),
            ),
        ),
        labels=Labels(page="第 {page} 页 共 {pages} 页", serial="流水号", code="验证码"),
    )


def _rate(shared: bool, documents: int) -> float:
    from shebao.documents.pdf import render_pdf

    document = _document()
    render_pdf(document, shared_font=shared)  # warm-up
    start = time.perf_counter()
    for _ in range(documents):
        render_pdf(document, shared_font=shared)
    return documents / (time.perf_counter() - start)


def main(documents: int = DOCUMENTS) -> dict[str, tuple[float, str]]:
    once = _rate(True, documents)
    each = _rate(False, documents)
    return {
        "certificates_font_once_per_process": (round(once, 2), "documents/s"),
        "certificates_font_per_document": (round(each, 2), "documents/s"),
        "certificates_font_once_speedup": (round(once / each, 2), "x"),
    }


if __name__ == "__main__":
    for name, (value, unit) in main().items():
        print(f"{name:40} {value:>10} {unit}")
