"""The service hall's side of the platform: a staff console per city at ``/staff/``.

Its own layer, above the residents' features (``account | modules``) and below the app: the
console calls their service functions (card decisions, certificate revocation, refunds,
account help), never their views, and nothing below imports it. Staff log in with user
name, password and a TOTP code, in a session of their own (``sessions.py``: a separate
cookie, its own rows), so a resident session never grants staff access nor the other way
round. Switched on per city by ``staff.enabled`` in the city YAML.

- ``models.py``: staff members, their sessions, announcements
- ``services/``: the rules (never commit; the view ends the unit of work)
- ``views/``: the console's pages, and the public 通知公告 pages
- ``commands.py``: ``shebao staff create``
"""
