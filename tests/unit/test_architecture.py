"""The architecture holds: layers point down (import-linter) and no import cycles (grimp).

The contract itself is in pyproject.toml (``[tool.importlinter]``); docs/modules.md says why.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from shebao.core.settings import PROJECT_ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGE = PROJECT_ROOT / "platform" / "shebao"


def _lint(source_root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(PROJECT_ROOT / "pyproject.toml")],
        cwd=source_root,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(source_root), "PATH": "/usr/bin:/bin"},
        timeout=300,
    )


def test_the_layer_contract_is_kept():
    done = _lint(PROJECT_ROOT / "platform")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(
    ("file", "line", "contract"),
    [
        ("tenancy/city.py", "from ..modules import benefits", "Tenancy imports no feature"),
        ("core/time.py", "from ..people import models", "Layers"),
        ("web/hooks.py", "from ..account import sessions", "Layers"),
        ("modules/card/services.py", "from ..benefits import views", "never views"),
        ("modules/todo/services.py", "from ..payments.views import order", "never views"),
        ("modules/payments/views/entry.py", "from ...benefits import views", "never views"),
        ("integrations/sms/port.py", "from ..bank import port", "independent"),
        ("integrations/storage/__init__.py", "from ...people import models", "know no feature"),
        ("documents/pdf.py", "from ..modules.printing import services", "know no feature"),
    ],
)
def test_a_back_pointing_import_breaks_the_contract(tmp_path, file, line, contract):
    """A copy of the package with one import added against the rules fails lint-imports."""
    root = tmp_path / "platform"
    shutil.copytree(PACKAGE, root / "shebao", ignore=shutil.ignore_patterns("__pycache__"))
    target = root / "shebao" / file
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    done = _lint(root)
    assert done.returncode != 0, done.stdout
    assert "BROKEN" in done.stdout and contract in done.stdout


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child))))
                    )
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_no_import_cycles():
    """Not even between a package's __init__ and its own submodules."""
    graph = grimp.build_graph("shebao", cache_dir=None)
    assert len(graph.modules) > 100
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for module in ("a", "a.b", "a.c", "a.d"):
        graph.add_module(module)
    graph.add_import(importer="a.b", imported="a.c")
    graph.add_import(importer="a.c", imported="a.b")
    graph.add_import(importer="a.c", imported="a.d")
    assert _cycles(graph) == [["a.b", "a.c"]]


def test_the_contracts_have_no_holes():
    """No ignored imports and no indirect-import allowance: a contract holds as written."""
    import tomllib

    config = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for contract in config["tool"]["importlinter"]["contracts"]:
        assert not contract.get("ignore_imports"), contract["id"]
        assert not contract.get("allow_indirect_imports"), contract["id"]
