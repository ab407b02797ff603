"""The SMS port: ``port.py`` (the interface), ``factory.py`` (the backend from the settings),
``outbox.py`` (the sandbox: a JSON-lines file) and ``http.py`` (an SMS platform over HTTPS).
"""

from .factory import create_gateway, sms_gateway
from .port import SmsError, SmsGateway

__all__ = ["SmsError", "SmsGateway", "create_gateway", "sms_gateway"]
