"""Every user-facing message has a Chinese translation, and the catalogues are current."""

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from shebao.core.settings import PROJECT_ROOT

CATALOGS = PROJECT_ROOT / "platform" / "shebao" / "translations"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
METHOD_MAP = [("**.py", "python"), ("**/templates/**.html", "jinja2")]


def source_messages() -> set[str]:
    found = set()
    for folder in ("platform", "themes", "cities"):
        for _, _, message, _, _ in extract_from_dir(
            str(PROJECT_ROOT / folder), METHOD_MAP, keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def catalog(locale: str):
    with open(CATALOGS / locale / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


def test_every_message_in_the_source_is_in_the_chinese_catalogue():
    known = {message.id for message in catalog("zh") if message.id}
    missing = sorted(source_messages() - known)
    assert not missing, f"run `make i18n-extract` and translate: {missing}"


def test_every_chinese_message_is_translated():
    untranslated = [m.id for m in catalog("zh") if m.id and not m.string]
    assert not untranslated, f"translate in translations/zh/LC_MESSAGES/messages.po: {untranslated}"


def test_english_catalogue_exists():
    assert any(message.id for message in catalog("en"))
