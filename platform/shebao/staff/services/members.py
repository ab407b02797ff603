"""Staff accounts of a city: creation, enrolment (password and TOTP), login, roles.

A member is created (by ``shebao staff create`` or a city administrator) with roles and an
enrolment code shown once; with that code the member chooses a password and adds the TOTP key
to an authenticator app (the page shows it as a QR code), confirming with a first code. Login
needs user name, password and a current code; wrong passwords and codes count towards the
city's lockout (``auth.lockout``, like residents'), and a code is accepted once only.
"""

from __future__ import annotations

import hmac
import re
import secrets
from datetime import datetime, timedelta

import pyotp
from flask_babel import gettext as _
from sqlalchemy import select, update

from ...account.secrets import hash_secret, verify_secret
from ...account.services.lockout import (
    check_not_locked,
    clear_failures,
    count_failure,
    throttle_for,
)
from ...audit import audit
from ...core.extensions import db
from ...core.time import utcnow
from ...tenancy.city import City
from ..models import ROLES, StaffMember
from .errors import StaffError, StaffFailedAttempt

#: How long an enrolment code may be used.
ENROLMENT_VALID = timedelta(hours=72)
#: TOTP: 6 digits, 30-second steps (RFC 6238 defaults, what every authenticator app shows);
#: a code of the step before or after is accepted too (clock drift of up to 30 seconds).
TOTP_INTERVAL = 30
TOTP_DRIFT_STEPS = 1
LOCKOUT_PURPOSE = "staff_login"
USERNAME = re.compile(r"^[a-z][a-z0-9._-]{2,31}$")
MIN_PASSWORD = 12


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


def check_username(username: str) -> str:
    name = normalise_username(username)
    if not USERNAME.match(name):
        raise StaffError(
            _(
                "A user name is 3 to 32 characters: lower-case letters, digits, dots, hyphens "
                "or underscores, starting with a letter."
            ),
            "username",
        )
    return name


def check_roles(roles: list[str] | tuple[str, ...]) -> str:
    chosen = [role for role in ROLES if role in set(roles)]
    if not chosen or len(set(roles)) != len(chosen):
        raise StaffError(_("Choose at least one role from the list."), "roles")
    return ",".join(chosen)


def member_by_username(city: City, username: str) -> StaffMember | None:
    return db.session.scalar(
        select(StaffMember).where(
            StaffMember.city == city.code, StaffMember.username == normalise_username(username)
        )
    )


def member_by_id(city: City, staff_id: int) -> StaffMember | None:
    return db.session.scalar(
        select(StaffMember).where(StaffMember.city == city.code, StaffMember.id == staff_id)
    )


def members(city: City) -> list[StaffMember]:
    return list(
        db.session.scalars(
            select(StaffMember).where(StaffMember.city == city.code).order_by(StaffMember.username)
        )
    )


def _enrolment_code() -> str:
    # 4 groups of 4 from an unambiguous alphabet: about 80 bits, easy to read out and type.
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    raw = "".join(secrets.choice(alphabet) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def _normal_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").upper()


def create_member(
    city: City, username: str, display_name: str, roles: list[str], *, by: StaffMember | None
) -> tuple[StaffMember, str]:
    """A new member with ``roles``; returns it and its enrolment code (shown once)."""
    name = check_username(username)
    display = (display_name or "").strip()
    if not display or len(display) > 64:
        raise StaffError(_("Enter the staff member's name (at most 64 characters)."), "name")
    role_text = check_roles(roles)
    if member_by_username(city, name) is not None:
        raise StaffError(_("This user name is taken in this city."), "username")
    code = _enrolment_code()
    member = StaffMember(
        city=city.code,
        username=name,
        display_name=display,
        roles=role_text,
        totp_secret=pyotp.random_base32(),
        enrolment_hash=hash_secret(_normal_code(code)),
        enrolment_expires_at=utcnow() + ENROLMENT_VALID,
    )
    db.session.add(member)
    db.session.flush()
    audit(
        "staff.member_created",
        city=city.code,
        staff=by,
        target_staff=name,
        roles=role_text,
        role=_acting_roles(by),
    )
    return member, code


def _acting_roles(member: StaffMember | None) -> str:
    return member.roles if member is not None else "cli"


def provisioning_uri(city: City, member: StaffMember) -> str:
    return pyotp.TOTP(member.totp_secret, interval=TOTP_INTERVAL).provisioning_uri(
        name=f"{member.username}@{city.code}", issuer_name=f"Shebao {city.code}"
    )


def qr_svg_data_uri(uri: str) -> str:
    """The TOTP key as a QR code (segno), an SVG data URI for an <img> (no script, no file)."""
    import segno  # here, not at the top: only enrolment draws a QR code

    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def pending_enrolment(city: City, username: str, code: str) -> StaffMember:
    """The member this valid enrolment code belongs to; StaffError otherwise (one message
    whatever was wrong, so the page tells nobody which user names exist)."""
    member = member_by_username(city, username)
    refusal = StaffError(_("This user name and enrolment code do not match a pending enrolment."))
    if (
        member is None
        or not member.active
        or member.enrolment_hash is None
        or member.enrolment_expires_at is None
        or member.enrolment_expires_at < utcnow()
    ):
        hash_secret("x")  # the same cost either way
        raise refusal
    if not verify_secret(member.enrolment_hash, _normal_code(code)):
        raise refusal
    return member


def check_staff_password(password: str, username: str) -> None:
    if len(password or "") < MIN_PASSWORD or len(password) > 128:
        raise StaffError(
            _("A staff password has at least %(n)s characters.", n=MIN_PASSWORD), "password"
        )
    classes = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
        )
    )
    if classes < 3 or username.lower() in password.lower():
        raise StaffError(
            _(
                "A staff password mixes lower-case letters, upper-case letters and digits, and "
                "does not contain the user name."
            ),
            "password",
        )


def _matching_step(member: StaffMember, code: str, now: datetime) -> int | None:
    """The time step whose code ``code`` is (within the allowed drift), or None."""
    code = (code or "").strip()
    if not re.fullmatch(r"[0-9]{6}", code):
        return None
    totp = pyotp.TOTP(member.totp_secret, interval=TOTP_INTERVAL)
    current = totp.timecode(now)
    for step in range(current - TOTP_DRIFT_STEPS, current + TOTP_DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _use_step(member: StaffMember, step: int) -> bool:
    """Record ``step`` as used; False when it (or a later one) was used already, also by a
    request running at the same moment (a conditional UPDATE lets one through)."""
    used = db.session.execute(
        update(StaffMember)
        .where(
            StaffMember.id == member.id,
            StaffMember.city == member.city,
            StaffMember.totp_last_step < step,
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    ).rowcount
    return used == 1


def complete_enrolment(
    city: City, username: str, code: str, password: str, confirm: str, totp_code: str
) -> StaffMember:
    """Set the password and confirm the TOTP key with a first code; the enrolment code dies."""
    member = pending_enrolment(city, username, code)
    check_staff_password(password, member.username)
    if password != confirm:
        raise StaffError(_("The two passwords differ."), "confirm")
    step = _matching_step(member, totp_code, utcnow())
    if step is None:
        raise StaffError(
            _("The one-time code is wrong. Enter the 6 digits your app shows now."), "totp"
        )
    if not _use_step(member, step):
        raise StaffError(_replayed(), "totp")
    consumed = db.session.execute(
        update(StaffMember)
        .where(
            StaffMember.id == member.id,
            StaffMember.city == city.code,
            StaffMember.enrolment_hash == member.enrolment_hash,
        )
        .values(
            enrolment_hash=None,
            enrolment_expires_at=None,
            password_hash=hash_secret(password),
            enrolled_at=utcnow(),
            session_epoch=StaffMember.session_epoch + 1,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if consumed != 1:
        raise StaffError(_("This enrolment was completed in another window."))
    db.session.refresh(member)
    audit("staff_enrolled", city=city.code, staff=member, role=member.roles)
    return member


def _replayed() -> str:
    return _(
        "This one-time code has been used already. Wait for your app to show the next code "
        "and enter that one."
    )


def _wrong_login() -> str:
    return _("The user name, password or one-time code is wrong.")


def log_in(city: City, username: str, password: str, totp_code: str) -> StaffMember:
    """The member these credentials belong to; StaffFailedAttempt (counted) when wrong,
    StaffError for a replayed code, LockedOut while the lockout lasts."""
    now = utcnow()
    name = normalise_username(username)
    throttle = throttle_for(city, LOCKOUT_PURPOSE, name)
    check_not_locked(throttle, now)
    member = member_by_username(city, name) if name else None
    stored = member.password_hash if member is not None and member.active else None
    password_ok = verify_secret(stored, password or "")  # hashes even without a member
    step = _matching_step(member, totp_code, now) if password_ok else None
    if not password_ok or step is None:
        count_failure(city, throttle, now, "staff_login_failed", username=name[:32], staff=member)
        raise StaffFailedAttempt(_wrong_login())
    if not _use_step(member, step):
        audit("staff_login_replayed_code", city=city.code, staff=member, role=member.roles)
        raise StaffFailedAttempt(_replayed(), "totp")
    clear_failures(throttle)
    member.last_login_at = now
    audit("staff_login", city=city.code, staff=member, role=member.roles)
    return member


def set_roles(city: City, member: StaffMember, roles: list[str], *, by: StaffMember, reason: str):
    role_text = check_roles(roles)
    if member.id == by.id and "admin" not in role_text.split(","):
        raise StaffError(_("You cannot take the admin role from yourself."), "roles")
    before = member.roles
    member.roles = role_text
    audit(
        "staff.member_roles_changed",
        city=city.code,
        staff=by,
        role=by.roles,
        target_staff=member.username,
        before=before,
        after=role_text,
        reason=reason,
    )


def set_active(city: City, member: StaffMember, active: bool, *, by: StaffMember, reason: str):
    if member.id == by.id:
        raise StaffError(_("You cannot deactivate your own account."))
    member.active = active
    member.session_epoch = (member.session_epoch or 0) + 1
    audit(
        "staff.member_activated" if active else "staff.member_deactivated",
        city=city.code,
        staff=by,
        role=by.roles,
        target_staff=member.username,
        reason=reason,
    )
