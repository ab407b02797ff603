"""WSGI entry point for Gunicorn (or any WSGI server): ``app`` serves every city.

Settings come from the ``SHEBAO_*`` environment variables (see ``deploy/env.example``).
Building the app validates the settings and every city's YAML; if either is invalid this
import raises with every problem listed (``SHEBAO_<NAME>: problem`` or ``file: key: reason``, one
a line), so the server refuses to start instead of serving a half-configured platform.

    gunicorn --config deploy/gunicorn.conf.py --chdir deploy wsgi:app
"""

from shebao import create_app

app = create_app()
