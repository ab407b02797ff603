"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from shebao.core.extensions import db


def test_migrations_match_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], f"models and migrations differ; add a migration: {differences}"


def test_flask_cli_commands_live_under_shebao(app):
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from shebao.cli import cli

    def invoke(*args):
        return CliRunner().invoke(cli, list(args), obj=ScriptInfo(create_app=lambda: app))

    routes = invoke("routes")
    assert routes.exit_code == 0, routes.output
    assert "portal.home" in routes.output and "contributions.pension" in routes.output
    assert invoke("db", "current").exit_code == 0
    commands = invoke("--help").output
    for name in ("check", "schema", "cities", "seed-demo", "import", "run", "db", "routes"):
        assert name in commands
