"""The reader's language: which one a request asks for, and its translations from the catalogs.

Catalogs are gettext ``.po`` files under ``app/locale/<lang>/LC_MESSAGES/`` kept with Babel
(``make i18n`` extracts and updates them). They are read as they are, at first use, so there is
no compiled file to forget: the ``.po`` in the repository is what the lab shows. English is the
language of the source text; Japanese follows the glossary in docs/glossary-ja.md.
"""

from __future__ import annotations

import io
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = {"en": "English", "ja": "日本語"}
DEFAULT_LANGUAGE = "en"
DOMAINS = ("messages", "engine")  # the pages' words, and the engine's decisions
COOKIE = "vpclab_lang"

current_language: ContextVar[str] = ContextVar("current_language", default=DEFAULT_LANGUAGE)


@lru_cache(maxsize=len(LANGUAGES))
def translations(language: str) -> NullTranslations:
    """Every domain's catalog for ``language`` merged into one (English: the source text)."""
    merged: NullTranslations = NullTranslations()
    for domain in DOMAINS:
        path = LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"
        if not path.exists():
            continue
        with path.open("rb") as po:
            catalog = read_po(po, locale=language, domain=domain)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        loaded = Translations(buffer, domain=domain)
        if isinstance(merged, Translations):
            merged.merge(loaded)
        else:
            merged = loaded
    return merged


def negotiate(chosen: str | None, accept_language: str | None) -> str:
    """The language a reader chose (cookie or setting), else the best of ``Accept-Language``.

    >>> negotiate(None, "ja-JP,ja;q=0.9,en;q=0.8")
    'ja'
    >>> negotiate("en", "ja")
    'en'
    """
    if chosen in LANGUAGES:
        return chosen  # type: ignore[return-value]
    best, best_q = DEFAULT_LANGUAGE, 0.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and q > best_q:
            best, best_q = primary, q
    return best


def gettext(message: str) -> str:
    return translations(current_language.get()).ugettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_language.get()).ungettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return translations(current_language.get()).upgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return translations(current_language.get()).unpgettext(context, singular, plural, n)
