"""The baselines B1 is measured against (bench/web_bench.py serves them with gunicorn).

- ``bare``: a bare Flask app that does what the contribution-history page needs and nothing
  else: it reads the session id from a cookie, runs the same SQL statements as the project's
  page (the session and account, the person, the yearly aggregate behind the year list, the
  totals and the pension summary, the year's rows of the page) with plain SQLAlchemy Core on
  the same database, and renders the rows with one Jinja template. No city layering, no
  translations, no CSRF, no login manager, no scoping.
- ``hello``: a Flask app answering "hello" (the ceiling of server, client and machine).

``gunicorn 'bare_app:bare()'`` and ``gunicorn 'bare_app:hello()'``, with the same settings as
the project; the database is ``SHEBAO_DATABASE_URL``.
"""

from __future__ import annotations

import hashlib
import os
from datetime import date

from flask import Flask, abort, render_template_string, request
from sqlalchemy import create_engine, text

PAGE = """<!doctype html><html lang="zh"><head><meta charset="utf-8">
<title>{{ title }}</title></head><body><main>
<h1>{{ title }}</h1><p>{{ person.name }}</p>
<form><select name="year">{% for y in years %}<option{% if y == year %} selected{% endif %}>{{ y }}
</option>{% endfor %}</select></form>
<table><tbody>{% for row in rows %}<tr><td>{{ row.period.strftime("%Y-%m") }}</td>
<td>{{ "{:,.2f}".format(row.base) }}</td><td>{{ "{:,.2f}".format(row.individual) }}</td>
<td>{{ "{:,.2f}".format(row.employer) }}</td><td>{{ row.status }}</td><td>{{ row.payer }}</td>
</tr>{% endfor %}</tbody><tfoot><tr><td>{{ totals.paid }}</td><td>{{ totals.individual }}</td>
<td>{{ totals.employer }}</td></tr></tfoot></table>
<table>{% for line in summary %}<tr><td>{{ line.year }}</td><td>{{ line.paid }}</td>
<td>{{ line.individual }}</td></tr>{% endfor %}</table>
</main></body></html>"""

SESSION = text(
    "SELECT account_session.id, account_session.ended_at, account_session.last_seen_at, "
    "account.id AS account_id, account.person_id FROM account_session "
    "JOIN account ON account.id = account_session.account_id "
    "WHERE account_session.city = :city AND account_session.token_digest = :digest "
    "AND account.city = :city"
)
PERSON = text("SELECT id, name, id_number FROM person WHERE id = :id AND city = :city")
YEARS = text(
    "SELECT CAST(EXTRACT(year FROM period) AS INTEGER) AS year, count(*) AS rows, "
    "sum(CASE WHEN status = 'paid' THEN 1 ELSE 0 END) AS paid, "
    "sum(CASE WHEN status = 'paid' THEN individual ELSE 0 END) AS individual, "
    "sum(CASE WHEN status = 'paid' THEN employer ELSE 0 END) AS employer, "
    "sum(CASE WHEN status = 'paid' THEN base ELSE 0 END) AS base "
    "FROM contribution WHERE city = :city AND person_id = :person "
    "AND insurance_type = 'pension' GROUP BY 1 ORDER BY 1"
)
ROWS = text(
    "SELECT period, base, individual, employer, status, payer FROM contribution "
    "WHERE city = :city AND person_id = :person AND insurance_type = 'pension' "
    "AND period >= :start AND period < :end ORDER BY period LIMIT 12"
)


def bare() -> Flask:
    app = Flask("bare")
    engine = create_engine(os.environ["SHEBAO_DATABASE_URL"], pool_pre_ping=True)

    @app.get("/contributions/pension")
    def history():
        session_id = request.cookies.get("bench_sid", "")
        digest = hashlib.sha256(session_id.encode()).hexdigest()
        with engine.connect() as connection:
            found = connection.execute(SESSION, {"city": "binzhou", "digest": digest}).first()
            if found is None or found.ended_at is not None:
                abort(403)
            person = connection.execute(PERSON, {"id": found.person_id, "city": "binzhou"}).first()
            summary = connection.execute(YEARS, {"city": "binzhou", "person": person.id}).all()
            years = [line.year for line in summary]
            year = years[-1]
            rows = connection.execute(
                ROWS,
                {
                    "city": "binzhou",
                    "person": person.id,
                    "start": date(year, 1, 1),
                    "end": date(year + 1, 1, 1),
                },
            ).all()
        return render_template_string(
            PAGE,
            title="职工养老保险缴费历史",
            person=person,
            years=years,
            year=year,
            rows=rows,
            totals=summary[-1],
            summary=summary,
        )

    return app


def hello() -> Flask:
    app = Flask("hello")

    @app.get("/")
    def index():
        return "hello"

    return app
