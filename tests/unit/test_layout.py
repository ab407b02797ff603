"""Project layout rules that are easy to break by accident."""

import importlib
import platform as stdlib_platform

from shebao.core.settings import PROJECT_ROOT


def test_platform_folder_is_a_source_root_not_a_package():
    """platform/__init__.py would shadow Python's own `platform` module."""
    assert not (PROJECT_ROOT / "platform" / "__init__.py").exists()
    assert hasattr(stdlib_platform, "python_version")
    assert importlib.import_module("platform").__file__ != str(
        PROJECT_ROOT / "platform" / "__init__.py"
    )


def test_every_table_is_imported_by_the_registry():
    """Alembic sees only the tables that ``registry.import_models()`` imports (checked in a
    fresh interpreter, where no other test has imported a model already)."""
    import json
    import re
    import subprocess
    import sys

    script = (
        "import json; from shebao.registry import import_models; import_models(); "
        "from shebao.core.extensions import db; print(json.dumps(sorted(db.metadata.tables)))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    tables = set(json.loads(done.stdout))
    declared = re.compile(r"^\s*__tablename__\s*=\s*[\"']([a-z_]+)[\"']", re.M)
    found = 0
    for path in sorted((PROJECT_ROOT / "platform" / "shebao").rglob("*.py")):
        for name in declared.findall(path.read_text(encoding="utf-8")):
            found += 1
            assert name in tables, f"{path}: table {name} is not imported by import_models()"
    assert found >= 20
