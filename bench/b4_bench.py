"""Issue 11's B4 (personal rights-record PDFs a process prints per second) before and after
the certificate font, side by side in one run.

Renderers compared (rounds interleaved, so a busy neighbour slows them alike; the best round
of each is reported):

- ``before``: ``platform/shebao/documents/pdf.py`` as it was at ``BASELINE`` (the full CFF
  font, fpdf2's table), read from git; skipped when there is no git history.
- ``full font``: today's renderer printing with the full font, parsed once per process (what
  a document with a character outside the certificate font gets).
- ``now``: today's renderer (the certificate font).

1. The renderer alone, on a rights record as Binzhou prints it in Chinese (no database).
2. B4 itself, as bench/web_bench.py measures it: POST /printing/rights-record through the
   test client for the demo person 张伟, with each renderer in turn put in the printing
   module's place. Needs PostgreSQL (``SHEBAO_BENCH_POSTGRES``, as web_bench); skipped when
   it cannot be reached. Creates and drops the database ``<prefix>_b4``.

Run: ``.venv/bin/python bench/b4_bench.py`` (or ``make bench``).
"""

from __future__ import annotations

import importlib.util
import logging
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
#: The commit whose renderer is the "before" (main before the certificate font).
BASELINE = "cb061ff"
DOCUMENTS = 10
ROUNDS = 3

log = logging.getLogger("bench")


def _before_module():
    """pdf.py at ``BASELINE``, loaded as a module of its own; None without git history."""
    try:
        source = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{BASELINE}:platform/shebao/documents/pdf.py"],
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        log.warning("no git history: the 'before' renderer is left out")
        return None
    folder = Path(tempfile.mkdtemp(prefix="shebao-b4-"))
    path = folder / "pdf_before.py"
    path.write_bytes(source)
    spec = importlib.util.spec_from_file_location("shebao_pdf_before", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def rights_record(pdf):
    """A rights record as Binzhou prints it (zh_CN), built with module ``pdf``'s classes."""
    types = ("职工基本养老保险", "职工基本医疗保险", "失业保险", "工伤保险", "生育保险")
    return pdf.Document(
        title="个人权益记录",
        issuer="滨州市社会保险事业中心",
        serial="BI20261125ABCDEF0123",
        code="FMN_L9abyLYIaNisZan40BZCVClkYZUA",
        verify_url="https://binzhou.localhost/verify/FMN_L9abyLYIaNisZan40BZCVClkYZUA",
        issued_on="2026-11-25",
        facts=(
            ("姓名", "张伟"),
            ("身份证号码", "3716**********0019"),
            ("证明期间", "2024"),
            ("出具日期", "2026-11-25"),
        ),
        sections=(
            pdf.Table(
                caption="2024年度各险种权益记录",
                columns=(
                    pdf.Column("险种", 2.2),
                    pdf.Column("月平均缴费基数（元）", 1.5, True),
                    pdf.Column("缴费月数", 1, True),
                    pdf.Column("个人缴纳（元）", 1.4, True),
                    pdf.Column("单位缴纳（元）", 1.4, True),
                ),
                rows=tuple((name, "5,000.00", "12", "4,800.00", "9,600.00") for name in types),
                footer=("合计", "", "", "24,000.00", "48,000.00"),
            ),
            "2024年末养老保险个人账户余额：56,789.00 元",
            "本年度个人缴纳合计（元）: 24,000.00",
            "本年度单位缴纳合计（元）: 48,000.00",
            "期末养老保险个人账户余额（元）: 56,789.00",
        ),
        labels=pdf.Labels(
            serial="流水号",
            page="第 {page} 页 共 {pages} 页",
            code="验证码",
            verify="本证明可在以下网址核验",
            issued_on="出具日期",
            issuer="出具单位",
        ),
    )


def _renderers() -> dict[str, tuple[object, Callable]]:
    """name → (pdf module, render function taking a Document)."""
    from shebao.documents import pdf

    found = {}
    before = _before_module()
    if before is not None:
        found["before"] = (before, before.render_pdf)
    found["full font"] = (pdf, lambda document: pdf.render_pdf(document, certificate_font=False))
    found["now"] = (pdf, pdf.render_pdf)
    return found


def _interleaved(runs: dict[str, Callable[[], float]]) -> dict[str, float]:
    """The best of ``ROUNDS`` rounds of each, rounds interleaved."""
    best = dict.fromkeys(runs, 0.0)
    for round_ in range(ROUNDS):
        for name, run in runs.items():
            best[name] = max(best[name], run())
        log.info("round %s: %s", round_ + 1, {n: round(v, 2) for n, v in best.items()})
    return best


def renderer_rates(documents: int = DOCUMENTS) -> dict[str, float]:
    from shebao.documents import pdf

    pdf.warm_up()
    runs = {}
    for name, (module, render) in _renderers().items():
        document = rights_record(module)
        render(document)  # warm-up: imports, the font parsed or loaded

        def run(render=render, document=document) -> float:
            started = time.perf_counter()
            for _ in range(documents):
                render(document)
            return documents / (time.perf_counter() - started)

        runs[name] = run
    return _interleaved(runs)


def web_rates(documents: int = DOCUMENTS) -> dict[str, float]:
    """B4 through the test client (bench/web_bench.py's measurement) with each renderer."""
    sys.path.insert(0, str(BENCH_DIR))
    import web_bench

    from shebao.modules.printing import issuing

    try:
        web_bench._admin("SELECT 1")
    except Exception as error:  # no PostgreSQL here: say so, measure the rest
        log.warning("B4 through the app skipped, no PostgreSQL (%s)", error)
        return {}
    name = f"{web_bench.PREFIX}_b4"
    original = issuing.render_pdf
    try:
        with tempfile.TemporaryDirectory(prefix="shebao-bench-b4-") as tmp:
            instance = Path(tmp)
            url, _ = web_bench.build_database(name, 0, instance)
            env = web_bench._env(url.replace("postgresql://", "postgresql+psycopg://"), instance)
            runs = {}
            for label, (_, render) in _renderers().items():

                def run(render=render) -> float:
                    issuing.render_pdf = render
                    try:
                        return web_bench.rights_records_per_second(env, documents)
                    finally:
                        issuing.render_pdf = original

                runs[label] = run
            return _interleaved(runs)
    finally:
        issuing.render_pdf = original
        web_bench._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def main() -> dict[str, tuple[float, str]]:
    logging.basicConfig(level=logging.INFO, format="bench: %(message)s")
    logging.getLogger("shebao").setLevel(logging.WARNING)
    results: dict[str, tuple[float, str]] = {}
    for label, rate in renderer_rates().items():
        results[f"B4 renderer, rights record: {label}"] = (round(rate, 2), "PDFs/s")
    for label, rate in web_rates().items():
        results[f"B4 POST /printing/rights-record: {label}"] = (round(rate, 2), "PDFs/s")
    return results


if __name__ == "__main__":
    for name, (value, unit) in main().items():
        print(f"{name:50} {value:>10} {unit}")
