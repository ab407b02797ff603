"""docs/import.md is written from the import kinds' row models, and is not stale."""

from shebao.core.importing import formats_markdown
from shebao.core.settings import PROJECT_ROOT
from shebao.registry import import_kinds

KINDS = {
    "persons",
    "contributions",
    "cards",
    "benefits",
    "job_postings",
    "job_seekers",
    "labour_filings",
    "business_cases",
}


def test_the_page_is_what_shebao_schema_writes():
    page = (PROJECT_ROOT / "docs" / "import.md").read_text(encoding="utf-8")
    assert page == formats_markdown(import_kinds()), "docs/import.md is stale: run `shebao schema`"


def test_every_kind_and_every_column_is_documented():
    kinds = import_kinds()
    assert set(kinds) == KINDS
    page = formats_markdown(kinds)
    for name, kind in kinds.items():
        section = page.split(f"## `{name}`\n", 1)[1].split("\n## ", 1)[0]
        for column, info in kind.row.model_fields.items():
            line = next(line for line in section.splitlines() if line.startswith(f"| `{column}` |"))
            required = "required" if info.is_required() else "optional"
            assert f"| {required} |" in line
            assert info.description and info.description.split()[0] in line, column


def test_allowed_values_show_their_chinese_synonyms():
    page = formats_markdown(import_kinds())
    assert "`in_production` (制卡中)" in page  # cards: status
    assert "`fixed_term` (固定期限)" in page  # labour_filings: contract_type
    assert "`M` (男), `F` (女)" in page  # persons and job_seekers: sex
    assert "| `birth_date` | date: YYYY-MM-DD | required |" in page
