"""docs/import.md documents every kind `shebao import` accepts."""

from shebao.core.importing import formats_markdown
from shebao.core.settings import PROJECT_ROOT
from shebao.registry import import_kinds


def test_every_import_kind_has_its_format_documented():
    page = (PROJECT_ROOT / "docs" / "import.md").read_text(encoding="utf-8")
    assert page == formats_markdown(import_kinds()), "docs/import.md is stale: run `shebao schema`"
    for kind in import_kinds():
        assert f"## `{kind}`" in page
    assert "(undocumented)" not in page
