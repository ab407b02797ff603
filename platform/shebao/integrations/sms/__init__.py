"""The SMS port: ``port.py`` (the interface), ``factory.py`` (the backend from the settings),
``outbox.py`` (the sandbox: a JSON-lines file) and ``http.py`` (an SMS platform over HTTPS);
``sending.py`` (``send_sms``: what features call, through the job queue).
"""

from .factory import create_gateway, sms_gateway
from .port import SmsError, SmsGateway
from .sending import send_sms

__all__ = ["SmsError", "SmsGateway", "create_gateway", "send_sms", "sms_gateway"]
