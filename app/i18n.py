"""The reader's language: which one a request asks for, and its translations from the catalogs.

Catalogs are gettext ``.po`` files under ``app/locale/<lang>/LC_MESSAGES/`` kept with Babel
(``make i18n`` extracts and updates them). They are read as they are, at first use, so there is
no compiled file to forget: the ``.po`` in the repository is what the lab shows. English is the
language of the source text; Japanese follows the glossary in docs/glossary-ja.md.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

import app.engine
import app.engine.instance_view
import app.engine.matrix
import app.engine.operations
import app.engine.templates  # noqa: F401  (their message ids, for stored results)
from app.engine.labels import sg_rule_words
from app.engine.messages import TEMPLATES, Message, render
from app.engine.model import SecurityGroupRule
from app.engine.services import TITLE_IDS, TITLES

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


def negotiate(
    chosen: str | None, accept_language: str | None, *, account: str | None = None
) -> str:
    """The signed-in user's language (their account's setting), else the one the reader chose
    (the switch's cookie), else the best of ``Accept-Language``.

    >>> negotiate(None, "ja-JP,ja;q=0.9,en;q=0.8")
    'ja'
    >>> negotiate("en", "ja")
    'en'
    >>> negotiate("en", "en", account="ja")
    'ja'
    """
    if account in LANGUAGES:
        return account  # type: ignore[return-value]
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


# ---- the engine's decisions in the reader's language ---------------------------------------------
# The engine declares every message id with its English template when its modules are imported
# (the imports above load them all: tracer, wording, explain, services, instance view, operations).


def _engine_text(message_id: str, english: str) -> str:
    return pgettext(message_id, english)


def say(message_id: str | None, params: dict[str, Any] | None, english: str) -> str:
    """An engine message in the current language: the catalog's text for ``message_id`` (the
    context) and its English template (the msgid), with its parameters rendered too.

    ``english`` is what is shown when there is no id (an analysis stored before messages were
    data), the id is unknown, or the reader reads English (then it is exactly the stored text).
    """
    if current_language.get() == DEFAULT_LANGUAGE or not message_id or message_id not in TEMPLATES:
        return english
    try:
        return render(message_id, params or {}, _engine_text)
    except (KeyError, IndexError, ValueError):
        return english  # a parameter the stored result lacks: its English still reads right


def say_hop(hop: dict[str, Any]) -> str:
    """A hop's message (a hop of an analysis result, as JSON) in the current language."""
    return say(hop.get("message_id"), hop.get("message_params"), hop.get("message", ""))


def say_explanation(explanation: dict[str, Any]) -> str:
    """An explanation's message in the current language."""
    return say(
        explanation.get("message_id"),
        explanation.get("message_params"),
        explanation.get("message", ""),
    )


def say_fix(explanation: dict[str, Any]) -> str:
    """An explanation's suggested fix in the current language."""
    return say(
        explanation.get("suggested_fix_id"),
        explanation.get("suggested_fix_params"),
        explanation.get("suggested_fix", ""),
    )


def say_note(note: Message | dict[str, Any] | str) -> str:
    """An instance view's note (a Message, its JSON, or plain English) in the current language."""
    if isinstance(note, Message):
        return say(note.id, note.params, str(note))
    if isinstance(note, dict):
        if note.get("id") not in TEMPLATES:
            return ""  # a note this version no longer has
        english = str(Message(note["id"], note.get("params") or {}))
        return say(note["id"], note.get("params"), english)
    return note


def say_sg_rule(rule: SecurityGroupRule) -> str:
    """A security group rule as the console labels it, its type in the current language
    (``All traffic ALL ALL sg-…`` reads ``すべてのトラフィック ALL ALL sg-…``)."""
    words = sg_rule_words(rule)
    return say(words.id, words.to_dict()["params"], str(words))


def say_chain_rule(group: dict[str, Any]) -> str:
    """The rule of an exposure chain's security group (``{"rule", "rule_message"}``), as
    ``say_sg_rule`` says it."""
    said = group.get("rule_message")
    if isinstance(said, dict) and said.get("id"):
        return say(said["id"], said.get("params"), group.get("rule", ""))
    return str(group.get("rule", ""))


def say_hop_rule(hop: dict[str, Any]) -> str:
    """The security group rule a hop matched, as ``say_sg_rule`` says it: from the hop's
    message parameters (its ``label`` is the English one, as the contract keeps it)."""
    english = (hop.get("security_group_rule") or {}).get("label", "")
    said = (hop.get("message_params") or {}).get("rule")
    if isinstance(said, dict) and said.get("id") == "rule.security_group":
        return say(said["id"], said.get("params"), english)
    return english


def say_component_name(component: dict[str, Any]) -> str:
    """A hop component's name in the current language: an AWS service's is the engine's title
    (``instance metadata service``, ``Amazon DNS server … of vpc-…``); others are as named."""
    name, kind = component.get("name") or "", component.get("type", "")
    if kind not in TITLES or not name.startswith(TITLES[kind]):
        return name
    vpc = name[len(TITLES[kind]) :].removeprefix(" of ")
    if vpc:
        title = {"id": TITLE_IDS[kind], "params": {}}
        return say("service.of_vpc", {"service": title, "vpc": vpc}, name)
    return say(TITLE_IDS[kind], {}, name)


def say_error(error: Any) -> str:
    """An AwsError's message in the current language (its code never translates)."""
    return say(getattr(error, "message_id", None), getattr(error, "params", None), error.message)


def said_result(result: dict[str, Any]) -> dict[str, Any]:
    """An analysis result (JSON) with ``message`` and ``suggested_fix`` in the current language;
    ids and parameters stay. In English the result is returned as it is."""
    if current_language.get() == DEFAULT_LANGUAGE:
        return result
    said = dict(result)
    for path in ("forward_path", "return_path"):
        if path in result:
            said[path] = [{**hop, "message": say_hop(hop)} for hop in result[path] or []]
    if "explanations" in result:
        said["explanations"] = [
            {**e, "message": say_explanation(e), "suggested_fix": say_fix(e)}
            for e in result["explanations"] or []
        ]
    return said


def said_view(view: dict[str, Any]) -> dict[str, Any]:
    """An instance view (JSON) with its ``notes`` in the current language, said from its
    ``note_messages``; the commands' output stays as the instance prints it."""
    if current_language.get() == DEFAULT_LANGUAGE:
        return view
    return {**view, "notes": [say_note(note) for note in view.get("note_messages") or []]}


@contextmanager
def reading(language: str) -> Iterator[None]:
    """Render in ``language`` inside the block (the JSON API has no cookie: Accept-Language)."""
    token = current_language.set(language)
    try:
        yield
    finally:
        current_language.reset(token)
