"""Choosing the bank backend from the settings, and finding it from a request."""

from __future__ import annotations

from flask import current_app

from .port import BankError, BankGateway, NoBank


def create_bank_gateway(settings) -> BankGateway:
    if settings.bank_backend == "sandbox":
        from .sandbox import SandboxBank  # only when configured: production never loads it

        return SandboxBank(settings.bank_secret)
    if settings.bank_backend == "off":
        return NoBank()
    raise BankError(f"unknown bank backend {settings.bank_backend!r}")


def bank_gateway() -> BankGateway:
    return current_app.extensions["shebao.bank"]
