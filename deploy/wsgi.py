"""WSGI entry point for Gunicorn (or any WSGI server): ``app`` serves every city.

Settings come from the ``SHEBAO_*`` environment variables (see ``deploy/env.example``).
Building the app validates the settings and every city's YAML; if either is invalid, every
problem is printed on stderr, one line each (``SHEBAO_<NAME>: problem`` or
``file: key: reason``, as ``shebao check`` prints them), and the process exits with status 3
without a traceback. 3 is Gunicorn's "worker failed to boot": were the app loaded in the
workers instead of the master (no ``preload_app``), Gunicorn stops instead of restarting them
in a loop.

    gunicorn --config deploy/gunicorn.conf.py --chdir deploy wsgi:app
"""

from shebao.app import create_app_or_exit

#: Gunicorn's exit status for a worker that cannot boot (``gunicorn.arbiter.Arbiter.WORKER_BOOT_ERROR``).
WORKER_BOOT_ERROR = 3

app = create_app_or_exit(exit_code=WORKER_BOOT_ERROR)
