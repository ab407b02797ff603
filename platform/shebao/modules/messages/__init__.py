"""消息中心: the resident's messages, with an unread count in the header.

Messages are posted by other services through ``shebao.messages.services.post_message``
(a layer below accounts and modules); this module shows them and says, per city, which
kinds also go out by SMS.
"""

from flask_babel import lazy_gettext as _l

from ...tenancy.modules import FeatureModule, entries
from .options import MessagesOptions

NAME = "messages"
ENTRIES = entries(NAME, ("inbox", _l("Messages")))

module = FeatureModule(
    name=NAME,
    label=_l("Message centre"),
    package=__name__,
    entries=ENTRIES,
    options=MessagesOptions,
    description="Messages about the resident's payments, applications and account",
)
