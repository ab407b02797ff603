"""Staff members for tests: enrolled directly (password and TOTP key known), logged in with a
code computed by pyotp, as the member's authenticator app would."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pyotp

from shebao.account.secrets import hash_secret
from shebao.core.extensions import db
from shebao.core.time import utcnow
from shebao.staff.models import StaffMember

STAFF_PASSWORD = "Staff2026Secure"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def make_staff(app, city: str, username: str, *roles: str, seq: int = 0) -> SimpleNamespace:
    secret = pyotp.random_base32()
    with app.app_context():
        member = StaffMember(
            city=city,
            username=username,
            display_name=username.title(),
            roles=",".join(roles),
            password_hash=hash_secret(STAFF_PASSWORD),
            totp_secret=secret,
            enrolled_at=utcnow(),
        )
        db.session.add(member)
        db.session.commit()
        return SimpleNamespace(id=member.id, username=username, secret=secret, city=city)


def totp_code(member, offset_steps: int = 0) -> str:
    totp = pyotp.TOTP(member.secret)
    return totp.generate_otp(totp.timecode(utcnow()) + offset_steps)


def csrf_of(client, path: str) -> str:
    match = CSRF.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def staff_login(client, member, *, code: str | None = None, password: str = STAFF_PASSWORD):
    return client.post(
        "/staff/login",
        data={
            "csrf_token": csrf_of(client, "/staff/login"),
            "username": member.username,
            "password": password,
            "totp": code or totp_code(member),
        },
    )


def staff_post(client, path: str, data: dict, form_page: str):
    return client.post(path, data={"csrf_token": csrf_of(client, form_page), **data})
