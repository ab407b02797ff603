"""Every module has the same anatomy (docs/modules.md), checked by walking the registry.

The checks read the files (AST and filesystem) and the parts the declaration names, resolved
as the app resolves them at start. Each failure says what to change.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

import pytest
from flask import Flask

from shebao.registry import all_modules
from shebao.tenancy.modules import FeatureModule, ModuleOptions

MODULES = list(all_modules().values())
DOC = "see docs/modules.md, 'Anatomy of a module'"
#: What a declaration may import: translations, the declaration types, its own options model,
#: and the insurance types (a menu entry per type).
ALLOWED_IMPORTS = {"flask_babel", "shebao.tenancy.modules", "shebao.people.insurance"}
DECLARED_NAMES = {"NAME", "ENTRIES", "module", "__all__"}
RENDER_FUNCTIONS = {"render", "render_template"}


def package_dir(module: FeatureModule) -> Path:
    spec = importlib.util.find_spec(module.package)
    assert spec and spec.submodule_search_locations, f"{module.package} is not a package"
    return Path(next(iter(spec.submodule_search_locations)))


def relative_path(path: Path) -> str:
    """``…/platform/shebao/modules/card/views.py`` → ``shebao/modules/card/views.py``."""
    parts = path.parts
    return "/".join(parts[parts.index("shebao") :]) if "shebao" in parts else str(path)


def python_files(module: FeatureModule) -> list[Path]:
    return sorted(
        path for path in package_dir(module).rglob("*.py") if "__pycache__" not in path.parts
    )


def absolute_import(package: str, node: ast.ImportFrom) -> str:
    """``from ...tenancy.modules import x`` in ``package``'s __init__ → ``shebao.tenancy.modules``."""
    if not node.level:
        return node.module or ""
    base = package.split(".")
    base = base[: len(base) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def parametrize_modules(test):
    return pytest.mark.parametrize("module", MODULES, ids=[module.name for module in MODULES])(test)


def test_the_registry_holds_all_fourteen_modules_account_included():
    names = [module.name for module in MODULES]
    assert len(names) == 14 and len(set(names)) == 14, names
    assert "account" in names and all_modules()["account"].package == "shebao.account"


@parametrize_modules
def test_init_holds_only_the_declaration(module):
    init = package_dir(module) / "__init__.py"
    where = relative_path(init)
    tree = ast.parse(init.read_text(encoding="utf-8"), filename=str(init))
    allowed = ALLOWED_IMPORTS | {f"{module.package}.options"}
    for position, node in enumerate(tree.body):
        line = f"{where}:{node.lineno}"
        if isinstance(node, ast.ImportFrom):
            source = absolute_import(module.package, node)
            assert source in allowed | {"__future__"}, (
                f"{line}: the declaration imports {source}; it may import only "
                f"{sorted(allowed)}. Name the part by reference in FeatureModule(...) "
                f"(e.g. seeder='.demo:seed_demo') instead, {DOC}"
            )
        elif isinstance(node, ast.Import):
            pytest.fail(f"{line}: 'import …' in a declaration; use 'from … import' of {allowed}")
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            assert position == 0 and isinstance(node.value.value, str), (
                f"{line}: only the docstring may stand alone in __init__.py"
            )
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {target.id for target in targets if isinstance(target, ast.Name)}
            assert len(names) == len(targets) and names <= DECLARED_NAMES, (
                f"{line}: __init__.py assigns {ast.unparse(targets[0])}; it may define only "
                f"{sorted(DECLARED_NAMES)}. Move the rest to options.py, services.py or views.py"
            )
        else:
            pytest.fail(
                f"{line}: {type(node).__name__} in __init__.py; a declaration holds only "
                f"imports, a docstring, NAME, ENTRIES, module and __all__ ({DOC})"
            )
    for node in ast.walk(tree):
        assert not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda), (
            f"{where}:{node.lineno}: no functions in a declaration; put them in services.py"
        )


@parametrize_modules
def test_the_declaration_names_the_module(module):
    package = importlib.import_module(module.package)
    assert getattr(package, "NAME", None) == module.name, (
        f"{module.package}/__init__.py: define NAME = {module.name!r} and pass name=NAME"
    )
    assert module.package == package.__name__, (
        f"{module.package}: pass package=__name__ to FeatureModule"
    )
    assert package.module is module, f"{module.package}: the registry must list its `module`"


@parametrize_modules
def test_every_part_is_named_in_the_module_and_resolves(module):
    references = [
        module.blueprint,
        *([module.seeder] if module.seeder else []),
        *module.import_kinds.values(),
        *module.todo_sources,
        *module.commands,
        *module.periodic_jobs,
    ]
    for reference in references:
        assert isinstance(reference, str) and reference.startswith("."), (
            f"{module.package}: name each part by a reference inside the module, like "
            f"'.views:blueprint', not {reference!r}"
        )
    parts = module.parts
    assert parts.blueprint.name == module.name, (
        f"{module.package}: the blueprint is called {parts.blueprint.name!r}; "
        f"create it as Blueprint(NAME, __name__, …)"
    )
    callables = [
        *([("seeder", parts.seeder)] if parts.seeder else []),
        *(("to-do source", source) for source in parts.todo_sources),
        *(("command", command) for command in parts.commands),
        *(("periodic job", job) for job in parts.periodic_jobs),
    ]
    for what, part in callables:
        assert callable(part), f"{module.package}: the {what} does not resolve to a callable"
    for kind, declaration in parts.import_kinds.items():
        assert declaration is not None, f"{module.package}: import kind {kind} resolves to None"


@parametrize_modules
def test_options_live_in_options_py(module):
    assert issubclass(module.options, ModuleOptions), (
        f"{module.package}: options= must be a ModuleOptions subclass"
    )
    if module.options is not ModuleOptions:
        assert module.options.__module__ == f"{module.package}.options", (
            f"{module.options.__name__} is defined in {module.options.__module__}; "
            f"move it to {module.package}.options (options.py)"
        )


@parametrize_modules
def test_views_py_exists(module):
    """``views.py``, or a ``views/`` package (blueprint and URL map in its ``__init__``)."""
    folder = package_dir(module)
    assert (folder / "views.py").is_file() or (folder / "views" / "__init__.py").is_file(), (
        f"{relative_path(folder)}: add views.py with the module's blueprint"
    )
    assert not list(folder.glob("*_views.py")), (
        f"{relative_path(folder)}: keep view files in views.py or the views/ package, where "
        "the never-views contract covers them"
    )


def _rendered_templates(module: FeatureModule) -> tuple[bool, list[tuple[str, str]]]:
    """(whether the module renders templates, [(where, literal template name)])."""
    renders = False
    literals = []
    for path in python_files(module):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            function = node.func
            name = function.attr if isinstance(function, ast.Attribute) else None
            name = function.id if isinstance(function, ast.Name) else name
            if name not in RENDER_FUNCTIONS:
                continue
            renders = True
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                literals.append((f"{relative_path(path)}:{node.lineno}", first.value))
    return renders, literals


@parametrize_modules
def test_templates_live_in_templates_named_after_the_module(module):
    renders, literals = _rendered_templates(module)
    if not renders:
        return
    folder = package_dir(module) / "templates" / module.name
    assert folder.is_dir(), (
        f"{module.name} renders templates: put them in {relative_path(folder)}/ "
        f"and render them as '{module.name}/<page>.html'"
    )
    assert module.parts.blueprint.template_folder == "templates", (
        f"{module.package}: create the blueprint with template_folder='templates'"
    )
    for where, name in literals:
        assert name.startswith(f"{module.name}/") and (folder.parent / name).is_file(), (
            f"{where}: renders {name!r}; the module's pages are "
            f"{relative_path(folder)}/<page>.html, rendered as '{module.name}/<page>.html'"
        )


def _service_files(module: FeatureModule) -> list[Path]:
    """services.py, a services/ package, or any module whose name says 'services'."""
    base = package_dir(module)
    return [
        path
        for path in python_files(module)
        if any("services" in part for part in path.relative_to(base).with_suffix("").parts)
    ]


def unit_of_work_endings(path: Path) -> list[str]:
    """Every ``….commit(`` and ``….rollback(`` call in the file, as ``path:line: .commit(``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    calls = sorted(
        (node.lineno, node.func.attr)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"commit", "rollback"}
    )
    return [f"{relative_path(path)}:{line}: .{name}(" for line, name in calls]


@parametrize_modules
def test_services_never_commit_or_roll_back(module):
    found = [line for path in _service_files(module) for line in unit_of_work_endings(path)]
    assert not found, (
        "Services never commit or roll back: the view, command or job that starts the unit of "
        "work ends it with `with core.transactions.unit_of_work(): …`. Move these out:\n"
        + "\n".join(found)
    )


@parametrize_modules
def test_every_menu_entry_is_a_route_of_the_blueprint(module):
    app = Flask(f"anatomy_{module.name}")
    app.register_blueprint(module.parts.blueprint)
    routes = {rule.endpoint for rule in app.url_map.iter_rules()}
    for entry in module.entries:
        assert entry.endpoint in routes, (
            f"{module.package}: the menu entry {entry.key!r} points at {entry.endpoint!r}, which "
            f"is not a route of the blueprint; add @blueprint.route(…) def {entry.key}() to "
            f"views.py or fix the entry"
        )
    for endpoint in module.public_endpoints:
        assert endpoint in routes, (
            f"{module.package}: public endpoint {endpoint!r} is not a route of the blueprint"
        )


def test_the_services_check_finds_a_commit_or_rollback(tmp_path):
    services = tmp_path / "services.py"
    services.write_text(
        "def save(city):\n"
        "    db.session.add(city)\n"
        "    db.session.commit()\n"
        "    session().rollback()\n"
        "    commit = 'db.session.commit()'\n",
        encoding="utf-8",
    )
    assert [line.rsplit(":", 2)[1:] for line in unit_of_work_endings(services)] == [
        ["3", " .commit("],
        ["4", " .rollback("],
    ]
