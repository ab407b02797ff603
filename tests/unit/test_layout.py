"""Project layout rules that are easy to break by accident."""

import importlib
import platform as stdlib_platform

from shebao.settings import PROJECT_ROOT


def test_platform_folder_is_a_source_root_not_a_package():
    """platform/__init__.py would shadow Python's own `platform` module."""
    assert not (PROJECT_ROOT / "platform" / "__init__.py").exists()
    assert hasattr(stdlib_platform, "python_version")
    assert importlib.import_module("platform").__file__ != str(
        PROJECT_ROOT / "platform" / "__init__.py"
    )


def test_every_model_module_is_imported_by_shebao_models():
    """Alembic sees only the tables that shebao.models imports."""
    import shebao.models  # noqa: F401
    from shebao.extensions import db

    model_files = sorted(
        p
        for p in (PROJECT_ROOT / "platform" / "shebao").rglob("models.py")
        if p.name == "models.py" and p.parent.name != "shebao"
    )
    tables = set(db.metadata.tables)
    for path in model_files:
        source = path.read_text(encoding="utf-8")
        for line in source.splitlines():
            if line.strip().startswith("__tablename__"):
                name = line.split("=", 1)[1].strip().strip("\"'")
                assert name in tables, f"{path}: table {name} is not imported by shebao/models.py"
