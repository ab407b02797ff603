"""Accounts and the short-lived secrets around them (captchas, SMS codes, login throttles)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db_types import UTCDateTime
from ..core.extensions import db
from ..core.time import utcnow
from ..people.models import Person
from ..tenancy.scoping import CityScoped


class Account(CityScoped, db.Model):
    """A person's login. The user name is the person's ID number.

    ``password_hash`` is None for a default-password account that has not set its own
    password yet (the city's default password is accepted, and a change is forced).
    """

    __tablename__ = "account"
    __table_args__ = (UniqueConstraint("person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    #: How the account came to be: card, sms (registration) or default (default password).
    origin: Mapped[str] = mapped_column(String(16))
    phone: Mapped[str | None] = mapped_column(String(11))
    email: Mapped[str | None] = mapped_column(String(254))
    #: Bumped on every password change or reset: sessions of an older epoch are logged out.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: 忘记密码: the hash of a password sent to the reserved phone, pending until its first use
    #: (then it becomes the password) or until its expiry; the old password works meanwhile.
    sent_password_hash: Mapped[str | None] = mapped_column(String(255))
    sent_password_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    person: Mapped[Person] = relationship(lazy="joined")
    security_answers: Mapped[list[SecurityAnswer]] = relationship(
        back_populates="account", cascade="all, delete-orphan", order_by="SecurityAnswer.position"
    )

    # Flask-Login
    is_active = True
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    def get_id(self) -> str:
        return f"{self.id}:{self.session_epoch}"


class SecurityAnswer(CityScoped, db.Model):
    """密码保护: a question and the hash of its normalised answer."""

    __tablename__ = "security_answer"
    __table_args__ = (UniqueConstraint("account_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    question: Mapped[str] = mapped_column(String(100))
    answer_hash: Mapped[str] = mapped_column(String(255))

    account: Mapped[Account] = relationship(back_populates="security_answers")


class LoginThrottle(CityScoped, db.Model):
    """Failed attempts per user name (an HMAC of the ID number, so unknown IDs lock too)."""

    __tablename__ = "login_throttle"
    __table_args__ = (UniqueConstraint("city", "purpose", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: login or recover (security questions).
    purpose: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CaptchaChallenge(CityScoped, db.Model):
    __tablename__ = "captcha_challenge"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    answer_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    used: Mapped[bool] = mapped_column(Boolean, default=False)


class SmsCode(CityScoped, db.Model):
    __tablename__ = "sms_code"
    __table_args__ = (Index("ix_sms_code_city_phone_created", "city", "phone", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(11))
    #: register, change_phone.
    purpose: Mapped[str] = mapped_column(String(16))
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    checks: Mapped[int] = mapped_column(Integer, default=0)
    used: Mapped[bool] = mapped_column(Boolean, default=False)


class AccountSession(CityScoped, db.Model):
    """One logged-in session, kept on the server so that ending it ends it on every node.

    The session cookie holds a random id; this row holds only its SHA-256 digest, so a copy of
    the table logs nobody in. A session ends at logout, after the city's idle or absolute
    lifetime, and when all of the account's sessions are ended (password change or reset, an
    administrator's action); an ended row stays, as a record of when and why.
    """

    __tablename__ = "account_session"
    __table_args__ = (
        UniqueConstraint("token_digest"),
        Index("ix_account_session_city_account", "city", "account_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_digest: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Written at most once a minute, so it is up to a minute behind the last request.
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: logout, exit, idle, absolute, renewed, password_changed, password_reset, admin, …
    end_reason: Mapped[str | None] = mapped_column(String(32))


class AccountDevice(CityScoped, db.Model):
    """A browser the account has logged in from: a random token in a long-lived cookie of
    its own, kept here as its SHA-256 digest. A login from a browser the account has not used
    before, when it has used others, is told to the resident (消息中心)."""

    __tablename__ = "account_device"
    __table_args__ = (UniqueConstraint("city", "account_id", "token_digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    token_digest: Mapped[str] = mapped_column(String(64))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
