"""The pages in the learner's language: the catalog is complete, every page reads in Japanese,
and the language switch works without JavaScript."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from app import i18n
from app.engine.kinds import KINDS
from app.engine.services import TITLES
from app.engine.templates import TEMPLATES
from app.web.engine_words import KIND_LABELS, SERVICE_TITLES, TEMPLATE_NAMES
from app.web.language import local_path

from .lab import HX, seed_001

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "app" / "locale" / "ja" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%%")


def load(path: Path = PO) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale="ja", domain="messages")


def english_of(message_id: str | tuple[str, ...]) -> list[str]:
    return list(message_id) if isinstance(message_id, tuple) else [message_id]


def japanese_of(message_string: str | tuple[str, ...]) -> list[str]:
    return list(message_string) if isinstance(message_string, tuple) else [message_string]


# ---- (a) the catalog ----------------------------------------------------------------------
def untranslated(catalog: Catalog) -> list[str]:
    """Every msgid without a Japanese text, fuzzy, or whose placeholders differ from it."""
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        english = english_of(message.id)
        texts = japanese_of(message.string)
        if message.fuzzy or not all(texts):
            wrong.append(f"no Japanese: {english[0]!r}")
            continue
        wanted = sorted(PLACEHOLDER.findall(english[-1]))
        for text in texts:
            if sorted(PLACEHOLDER.findall(text)) != wanted:
                wrong.append(f"placeholders differ: {english[0]!r} → {text!r}")
    return wrong


def test_every_page_message_has_its_japanese_text_with_the_same_placeholders() -> None:
    assert untranslated(load()) == []


def test_the_catalog_check_catches_a_missing_or_broken_translation(tmp_path: Path) -> None:
    catalog = load()
    catalog["Test connection"].string = ""
    catalog["%(field)s is required."].string = "必須です。"  # the placeholder lost
    assert sorted(untranslated(catalog)) == [
        "no Japanese: 'Test connection'",
        "placeholders differ: '%(field)s is required.' → '必須です。'",
    ]


def test_the_catalog_holds_every_word_the_pages_mark() -> None:
    """`make i18n` was run: what Babel extracts from app/web and templates is all in the .po."""
    method_map = [("app/web/**.py", "python"), ("templates/**.html", "jinja2")]
    options = {
        "templates/**.html": {
            "extensions": "jinja2.ext.i18n",
            "trim_blocks": "True",
            "lstrip_blocks": "True",
        }
    }
    extracted = {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(
            str(ROOT),
            method_map,
            options,
            keywords={"_": None, "gettext": None, "ngettext": (1, 2), "N_": None},
        )
    }
    in_catalog = {english_of(m.id)[0] for m in load() if m.id}
    assert extracted - in_catalog == set()


def test_the_engine_labels_the_pages_show_are_all_in_the_catalog() -> None:
    catalog = load()
    assert {k.label for k in KINDS} <= set(KIND_LABELS)
    assert set(TITLES.values()) <= set(SERVICE_TITLES)
    assert set(TEMPLATES) == set(TEMPLATE_NAMES)  # a new template needs its name translated
    for label in [*KIND_LABELS, *SERVICE_TITLES, *TEMPLATE_NAMES.values()]:
        assert catalog.get(label) is not None and catalog[label].string, label


# ---- (b) every page and fragment in Japanese ------------------------------------------------
class VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes, and the attributes read aloud or shown
    (aria-label, title, placeholder, optgroup label, the confirm question). Left out: what the
    engine writes (``data-words="engine"``: hop messages, explanations, AWS errors; the engine
    part of issue 11), what the learner or AWS typed (``data-words="typed"``: names,
    descriptions), and ``<code>`` (ids, CIDRs, rule labels, commands)."""

    SHOWN: ClassVar = ("aria-label", "title", "placeholder", "label", "hx-confirm", "alt")
    VOID: ClassVar = {"input", "br", "meta", "link", "img", "hr", "path", "rect", "circle"}
    SKIPPED: ClassVar = {"script", "style", "code", "pre"}

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.attributes: list[str] = []
        self.typed: list[str] = []  # what <code> and data-words hold, to cut from attributes
        self._stack: list[bool] = []  # per open element: are its words left out?
        self._skip = 0

    def _attributes(self, attrs: list[tuple[str, str | None]]) -> None:
        if not self._skip:
            self.attributes += [v for k, v in attrs if k in self.SHOWN and v]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attributes(attrs)
        if tag in self.VOID or tag in ("line", "polyline"):
            return
        self._stack.append("data-words" in dict(attrs) or tag in self.SKIPPED)
        self._skip += self._stack[-1]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attributes(attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID or tag in ("line", "polyline") or not self._stack:
            return
        self._skip -= self._stack.pop()

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text:
            (self.typed if self._skip else self.texts).append(text)


def visible_texts(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    typed = sorted({t for t in parser.typed if len(t) > 2}, key=len, reverse=True)
    attributes = []
    for value in parser.attributes:  # "Remove SSH TCP 22 0.0.0.0/0": the rule label is typed
        for text in typed:
            value = value.replace(text, " ")
        attributes.append(" ".join(value.split()))
    return parser.texts + [a for a in attributes if a]


SYMBOLS = " \t✔✘◐·()（）…:;,.?!—–‹›→←↓⇄⇒☁⚠▣|“”「」"


def english_patterns(catalog: Catalog) -> list[tuple[str, re.Pattern[str]]]:
    """A pattern per English text the Japanese catalog replaces (not those that read the same
    in both, such as "VPC" or "Elastic IP"): a sentence anywhere in a text, a single word only
    as a whole text (a resource may be named "web")."""
    patterns = []
    for message in catalog:
        if not message.id:
            continue
        for english, japanese in zip(
            english_of(message.id), japanese_of(message.string) * 2, strict=False
        ):
            if english == japanese or not re.search("[A-Za-z]{2}", PLACEHOLDER.sub("", english)):
                continue
            parts = [re.escape(p) for p in PLACEHOLDER.split(english)[::2] if p is not None]
            body = ".+?".join(parts).replace(re.escape("%%"), "%")
            bare = PLACEHOLDER.sub("", english).strip(SYMBOLS)
            if " " in bare:
                patterns.append((english, re.compile(body)))
            else:
                patterns.append(
                    (english, re.compile(f"^[{re.escape(SYMBOLS)}]*{body}[{re.escape(SYMBOLS)}]*$"))
                )
    return patterns


PATTERNS = english_patterns(load())


def english_left(html: str) -> list[str]:
    """The catalog's English texts still shown on a page rendered in Japanese."""
    return sorted(
        {
            f"{english!r} in {text!r}"
            for text in visible_texts(html)
            for english, pattern in PATTERNS
            if pattern.search(text)
        }
    )


def test_the_check_finds_an_english_word_left_on_a_japanese_page() -> None:
    page = '<p>{}</p><button aria-label="Remove rule 100">削除</button><p>web</p>'.format(
        "✔ Reachable: web reaches db and the reply comes back."
    )
    found = english_left(page)
    assert (
        "'Reachable: %(source)s reaches %(destination)s and the reply comes back.' in "
        "'✔ Reachable: web reaches db and the reply comes back.'"
    ) in found
    assert "'Remove rule %(number)s' in 'Remove rule 100'" in found
    assert not [f for f in found if f.endswith("in 'web'")]  # a name, not the catalog's
    assert english_left('<p data-words="engine">The route table sends it on.</p>') == []


def wait_for(client: TestClient, url: str) -> Iterator[str]:
    """The page while it is computing, then its answer."""
    for _ in range(200):
        page = client.get(url).text
        yield page
        if 'hx-trigger="every 1s"' not in page:
            return
        time.sleep(0.05)
    raise AssertionError(f"{url} never finished")


def japanese_pages(client: TestClient) -> Iterator[tuple[str, str]]:
    """Every page and fragment, rendered with Japanese chosen: (what, html)."""
    client.cookies.set(i18n.COOKIE, "ja")
    yield "empty topologies list", client.get("/").text
    for template in TEMPLATES:
        topology = client.post(
            "/api/v1/topologies", json={"name": f"lab-{template}", "template": template}
        ).json()["id"]
        base = f"/topologies/{topology}"
        yield f"workspace {template}", client.get(base).text
        for kind in (
            "vpc",
            "subnet",
            "internet-gateway",
            "route-table",
            "nat-gateway",
            "security-group",
            "network-acl",
            "network-interface",
            "instance",
            "address",
            "vpc-peering-connection",
            "dhcp-options",
        ):
            yield f"{template}: create {kind}", client.get(f"{base}?create={kind}").text
        # Two more kinds no template has: a DHCP options set and a peering connection.
        client.post(f"{base}/do/create-dhcp", data={"DomainName": "lab.internal"})
        client.post(f"{base}/do/create-vpc", data={"CidrBlock": "10.9.0.0/16"})
        vpcs = client.get(f"/api/v1/topologies/{topology}/vpcs").json()["Vpcs"]
        if len(vpcs) > 1:
            client.post(
                f"{base}/do/create-peering",
                data={"VpcId": vpcs[0]["VpcId"], "PeerVpcId": vpcs[1]["VpcId"]},
            )
        workspace = client.get(base).text
        for rid in sorted(set(re.findall(r"\?select=([\w-]+)", workspace))):
            yield f"{template}: editor {rid}", client.get(f"{base}?select={rid}").text
            yield (
                f"{template}: editor fragment {rid}",
                client.get(f"{base}?select={rid}", headers={**HX, "HX-Target": "editor"}).text,
            )
        yield f"{template}: confirm delete", client.get(f"{base}/delete").text
        for page in wait_for(client, f"{base}/exposure"):
            yield f"{template}: exposure", page
        for page in wait_for(client, f"{base}/matrix?preset=ssh"):
            yield f"{template}: matrix", page
    yield "topologies list", client.get("/").text

    # The seed-001 lab: instance views, tests that pass and fail, saved and re-run, refusals.
    lab = seed_001(client)
    base = f"/topologies/{lab.topology}"
    for instance in (lab.web, lab.db):
        yield (
            f"instance view {instance}",
            client.get(f"{base}/instances/{instance}").text,
        )
    reachable = {"source": "internet", "destination": lab.web, "preset": "ssh", "save": "1"}
    yield "trace: reachable", client.post(f"{base}/test", data=reachable).text
    blocked = {"source": "internet", "destination": lab.db, "preset": "ssh", "save": "1"}
    yield "trace: blocked", client.post(f"{base}/test", data=blocked).text
    yield (
        "trace: fragment",
        client.post(f"{base}/test", data=blocked, headers=HX).text,
    )
    ping = {"source": lab.web, "destination": lab.db, "preset": "ping"}
    yield "trace: ping", client.post(f"{base}/test", data=ping).text
    yield "saved tests re-run", client.post(f"{base}/tests/rerun", headers=HX).text
    yield (
        "a refused form",
        client.post(f"{base}/do/create-sg", data={"GroupName": "x", "VpcId": lab.vpc}).text,
    )
    yield (
        "a matrix of several ports",
        list(wait_for(client, f"{base}/matrix?preset=custom-tcp&port=22,80,8080"))[-1],
    )
    yield (
        "a done notice",
        client.post(
            f"{base}/do/rename",
            data={"Kind": "vpc", "ResourceId": lab.vpc, "Name": "renamed"},
            headers=HX,
        ).text,
    )


# English that is not the pages' to translate: names of products and services, the site's name.
PROPER = re.compile(
    r"VPC Lab|Amazon (Linux|DNS|Time Sync Service)|Route 53 Resolver|Elastic IP|"
    r"Windows Server|Ubuntu|AmazonProvidedDNS|MySQL/Aurora|PostgreSQL|^\$ .*|ip (addr|route)|"
    # names the lab typed (the seed-001 topology, hyphenated resource names) and ids
    r"web tests|\b[\w.]+-[\w.-]+\b"
)
ENGLISH_PHRASE = re.compile(r"\b[A-Za-z][a-z]+ [a-z]{3,}\b")


def unmarked_english(html: str) -> list[str]:
    """Visible English phrases (two words or more) that the catalog does not know: words the
    pages forgot to mark for translation."""
    return sorted(
        {text for text in visible_texts(html) if ENGLISH_PHRASE.search(PROPER.sub("", text))}
    )


def test_every_page_and_fragment_reads_in_japanese(client: TestClient) -> None:
    left: dict[str, list[str]] = {}
    unmarked: set[str] = set()
    count = 0
    for what, html in japanese_pages(client):
        count += 1
        if "<html" in html:
            assert '<html lang="ja">' in html, what
        if found := english_left(html):
            left[what] = found
        unmarked |= set(unmarked_english(html))
    assert count > 100  # every template's forms and editors, not a few pages
    assert left == {}, "\n".join(sorted({e for found in left.values() for e in found}))
    assert unmarked == set(), "\n".join(sorted(unmarked))


def test_a_form_refused_by_the_pages_says_why_in_japanese(client: TestClient) -> None:
    lab = seed_001(client)
    client.cookies.set(i18n.COOKIE, "ja")
    page = client.post(
        f"/topologies/{lab.topology}/do/create-sg",
        data={"GroupName": "x", "VpcId": lab.vpc},
    ).text
    assert "「説明」は必須です。" in page and "変更は拒否されました。" in page
    client.cookies.set(i18n.COOKIE, "en")
    english = client.post(
        f"/topologies/{lab.topology}/do/create-sg", data={"GroupName": "x", "VpcId": lab.vpc}
    ).text
    assert "A description is required." in english


def test_the_done_notice_names_the_action_in_the_readers_words(client: TestClient) -> None:
    lab = seed_001(client)
    url = f"/topologies/{lab.topology}/do/create-igw"
    assert "Done: create igw." in client.post(url, data={"Name": "igw-a"}, headers=HX).text
    client.cookies.set(i18n.COOKIE, "ja")
    japanese = client.post(url, data={"Name": "igw-b"}, headers=HX).text
    assert "完了: インターネットゲートウェイの作成。" in japanese


# ---- (c) choosing the language -----------------------------------------------------------
def test_the_switch_keeps_the_choice_in_a_cookie_and_goes_back_without_javascript(
    client: TestClient,
) -> None:
    lab = seed_001(client)
    here = f"/topologies/{lab.topology}?select={lab.web}"
    english = client.get(here).text
    assert '<html lang="en">' in english and "Test connection" in english
    switch = re.search(r'<a href="(/language/ja\?next=[^"]+)"', english)
    assert switch is not None  # a plain link on every page: no JavaScript needed
    answer = client.get(switch.group(1).replace("&amp;", "&"), follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["Location"] == here
    assert f"{i18n.COOKIE}=ja" in answer.headers["set-cookie"]
    japanese = client.get(here).text  # the client keeps the cookie, as a browser does
    assert '<html lang="ja">' in japanese and "接続テスト" in japanese
    assert "Test connection" not in japanese
    assert '<span class="current" lang="ja" aria-current="true">日本語</span>' in japanese
    back = client.get(f"/language/en?next={here}", follow_redirects=False)
    assert back.headers["Location"] == here and f"{i18n.COOKIE}=en" in back.headers["set-cookie"]


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", ""],
)
def test_the_switch_only_goes_back_to_a_page_of_the_lab(client: TestClient, target: str) -> None:
    answer = client.get("/language/ja", params={"next": target}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["Location"] == "/"
    assert local_path("/topologies/3?select=vpc-1") == "/topologies/3?select=vpc-1"


def test_an_unknown_language_sets_nothing(client: TestClient) -> None:
    answer = client.get("/language/xx?next=/", follow_redirects=False)
    assert answer.status_code == 303 and "set-cookie" not in answer.headers


def test_accept_language_chooses_the_language_until_the_reader_chooses_one(
    client: TestClient,
) -> None:
    assert '<html lang="en">' in client.get("/").text
    page = client.get("/", headers={"Accept-Language": "ja-JP,ja;q=0.9,en;q=0.8"}).text
    assert '<html lang="ja">' in page and "トポロジー一覧" in page
    client.cookies.set(i18n.COOKIE, "en")  # chosen with the switch: it wins
    chosen = client.get("/", headers={"Accept-Language": "ja"}).text
    assert '<html lang="en">' in chosen and "Your topologies" in chosen
    assert "Accept-Language" in client.get("/").headers["Vary"]


# ---- caches: one diagram and one set of options per language --------------------------------
def test_the_cached_diagram_and_options_follow_the_language(client: TestClient) -> None:
    lab = seed_001(client)
    url = f"/topologies/{lab.topology}?select={lab.public_rt}"
    english = client.get(url).text  # cached now, for this revision
    assert "Architecture of web tests" in english and "· public</text>" in english
    assert "Internet gateway · " in english
    client.cookies.set(i18n.COOKIE, "ja")
    japanese = client.get(url).text  # same revision: must not reuse the English
    assert "web tests の構成図" in japanese and "· パブリック</text>" in japanese
    assert "インターネットゲートウェイ · " in japanese  # the route targets' select box
    assert "Architecture of" not in japanese and "· public</text>" not in japanese
    client.cookies.set(i18n.COOKIE, "en")
    again = client.get(url).text
    assert "Architecture of web tests" in again and "パブリック" not in again


ENGINE_WORDS = re.compile(r'data-words="engine"[^>]*>(.*?)</(?:p|span|li|dd)>', re.S)
PROSE = re.compile(r"\b[A-Za-z]{3,}(?:[ ,]+[a-z]{2,}){2,}")  # three English words in a row


def test_the_engines_sentences_read_in_japanese_on_a_trace_and_a_refusal(
    client: TestClient,
) -> None:
    """Hops, explanations, fixes and refusals come from the engine's catalog: with Japanese
    chosen, none of them is an English sentence (ids, addresses and rule labels aside)."""
    lab = seed_001(client)
    client.cookies.set(i18n.COOKIE, "ja")
    pages = {
        "blocked ping": client.post(
            f"/topologies/{lab.topology}/test",
            data={"source": "internet", "destination": lab.web, "preset": "ping"},
        ).text,
        "reachable ssh": client.post(
            f"/topologies/{lab.topology}/test",
            data={"source": lab.web, "destination": lab.db, "preset": "mysql"},
        ).text,
        "refused vpc": client.post(
            f"/topologies/{lab.topology}/do/create-vpc", data={"CidrBlock": "10.0.0.0/8"}
        ).text,
        "instance view": client.get(f"/topologies/{lab.topology}/instances/{lab.web}").text,
    }
    for what, html in pages.items():
        sentences = [
            html_text
            for fragment in ENGINE_WORDS.findall(html)
            if (html_text := re.sub(r"<[^>]+>", "", fragment).strip())
        ]
        assert sentences, what
        english = [s for s in sentences if PROSE.search(re.sub(r"\d[\d./:-]*", "", s))]
        assert english == [], (what, english)
        assert any(re.search("[ぁ-んァ-ン一-龥]", s) for s in sentences), (what, sentences)


def test_error_pages_and_the_csrf_refusal_read_in_japanese(client: TestClient) -> None:
    client.cookies.set(i18n.COOKIE, "ja")
    missing = client.get("/topologies/nope", headers={"Accept": "text/html"})
    assert missing.status_code == 404 and "トポロジーの一覧に戻る" in missing.text
    refused = client.post("/topologies", data={"name": "x"}, headers={"X-CSRF-Token": "forged"})
    assert refused.status_code == 403
    assert (
        "フォームは送信されませんでした" in refused.text and "何も変更していません" in refused.text
    )
