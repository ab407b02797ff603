"""Flask extensions, created unbound here and bound in ``create_app``."""

from functools import cached_property

import click
from flask import Flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

#: Constraint names that Alembic can find again on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class _BoundMigrations:
    """What Flask-Migrate keeps in ``app.extensions["migrate"]`` and reads there (its
    ``upgrade`` …, and ``migrations/env.py``), with its ``Migrate`` made on first use."""

    def __init__(self, db: SQLAlchemy, directory: str, configure_args: dict):
        self.db = db
        self.directory = directory
        self.configure_args = configure_args

    @property
    def metadata(self):
        return self.db.metadata

    @cached_property
    def migrate(self):
        from flask_migrate import Migrate

        return Migrate(db=self.db, directory=self.directory, **self.configure_args)


class _MigrationCommands(click.Group):
    """``db``: Flask-Migrate's command group, imported when it is run (or its help read)."""

    def __init__(self) -> None:
        super().__init__("db", help="Perform database migrations.")

    def make_context(self, info_name, args, parent=None, **extra):
        from flask_migrate.cli import db as commands

        return commands.make_context(info_name, args, parent=parent, **extra)


class Migrations:
    """Flask-Migrate without importing Alembic (some 11 MB and 0.2 s of every process that
    builds the app, web workers included) until a migration runs: ``init_app`` binds the
    same settings and adds the same ``db`` commands as ``flask_migrate.Migrate.init_app``."""

    def __init__(self, **configure_args) -> None:
        self.configure_args = configure_args

    def init_app(self, app: Flask, db: SQLAlchemy, directory: str) -> None:
        app.extensions["migrate"] = _BoundMigrations(db, str(directory), dict(self.configure_args))
        app.cli.add_command(_MigrationCommands())


db = SQLAlchemy(model_class=Base)
migrate = Migrations(render_as_batch=True, compare_type=True)
csrf = CSRFProtect()
babel = Babel()

login_manager = LoginManager()
login_manager.login_view = "account.login"
login_manager.session_protection = "basic"
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)
