"""Factories of the staff console's city-owned models (for the isolation test)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from shebao.core.extensions import db
from shebao.staff.models import Announcement, StaffMember, StaffSession


def _add(row):
    db.session.add(row)
    db.session.flush()
    return row


def staff_member(city: str, seq: int = 1, **values) -> StaffMember:
    return _add(
        StaffMember(
            city=city,
            username=values.pop("username", f"staff{seq}"),
            display_name=f"工作人员{seq}",
            roles=values.pop("roles", "reviewer"),
            totp_secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
            **values,
        )
    )


def staff_session(city: str, seq: int = 1) -> StaffSession:
    member = staff_member(city, seq)
    return _add(
        StaffSession(
            city=city,
            token_digest=hashlib.sha256(f"{city}{seq}".encode()).hexdigest(),
            staff_id=member.id,
        )
    )


def announcement(city: str, seq: int = 1, **values) -> Announcement:
    return _add(
        Announcement(
            city=city,
            title_zh=values.pop("title_zh", f"通知{seq}"),
            title_en=values.pop("title_en", f"Notice {seq}"),
            body_zh="正文",
            body_en="Text",
            html_zh="<p>正文</p>",
            html_en="<p>Text</p>",
            publish_from=values.pop("publish_from", datetime(2026, 1, 1, tzinfo=UTC)),
            **values,
        )
    )


FACTORIES: dict = {
    StaffMember: staff_member,
    StaffSession: staff_session,
    Announcement: announcement,
}
