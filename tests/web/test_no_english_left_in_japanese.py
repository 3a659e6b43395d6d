"""No English left on a Japanese page (issue 11), the engine's words included: hop headers,
hop texts, rule labels, states, explanations, the diagram. What may stay in Latin letters is
what the Japanese console also writes so: ids, names the learner typed, addresses and CIDRs,
acronyms and protocol names (TCP, SSH, ALLOW), API words (MissingParameter), AWS product names
(Amazon DNS, Elastic IP, Time Sync), host and file names; any other English word is a leak."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any, ClassVar

from fastapi.testclient import TestClient

from .lab import seed_001
from .test_i18n import ROOT, japanese_pages, load

# Proper names, as AWS writes them in its Japanese documentation, and words it keeps.
PROPER = re.compile(
    r"Amazon (DNS|Linux|Time Sync Service)|Route 53 Resolver|Elastic IP|Windows Server|VPC Lab"
)
KEPT = {
    "Ubuntu", "Aurora", "English", "Ping", "Web",
    "local",  # the route target, as the console shows it
    "ping", "search", "ip", "addr", "route", "show", "cat",  # commands and resolv.conf's words
}  # fmt: skip
# A token that is not a word: it holds a digit, a dot, a slash or a colon (ids, addresses,
# CIDRs, ap-northeast-1a, t3.micro, /etc/resolv.conf, TCP/UDP, ec2.internal).
NOT_A_WORD = re.compile(r"[^\s()（）「」、。,;]*[\d./:][^\s()（）「」、。,;]*")
# An English word: lower case, or capitalised; ACRONYMS and CamelCase identifiers are not.
ENGLISH_WORD = re.compile(r"\b(?:[a-z]{2,}|[A-Z][a-z]+)\b(?![-'])|\b[a-z]+(?:-[a-z]+)+\b")


class ShownText(HTMLParser):
    """Every text a reader sees, the engine's included; not what the learner typed
    (``data-words="typed"``), ``<code>``/``<pre>`` (commands, labels), scripts and styles."""

    SHOWN: ClassVar = ("aria-label", "title", "label", "hx-confirm", "alt")
    VOID: ClassVar = {"input", "br", "meta", "link", "img", "hr", "path", "rect", "circle"}
    SKIPPED: ClassVar = {"script", "style", "code", "pre"}

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._stack: list[bool] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._skip:
            self.texts += [v for k, v in attrs if k in self.SHOWN and v]
        if tag in self.VOID or tag in ("line", "polyline"):
            return
        self._stack.append(dict(attrs).get("data-words") == "typed" or tag in self.SKIPPED)
        self._skip += self._stack[-1]

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID or tag in ("line", "polyline") or not self._stack:
            return
        self._skip -= self._stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def english_words(html: str, names: set[str]) -> set[str]:
    """The English words a Japanese reader sees on ``html`` (names the lab typed excepted)."""
    parser = ShownText()
    parser.feed(html)
    found = set()
    for text in parser.texts:
        for name in sorted(names, key=len, reverse=True):
            text = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", " ", text)
        text = NOT_A_WORD.sub(" ", PROPER.sub(" ", text))
        found |= {w for w in ENGLISH_WORD.findall(text) if w not in KEPT}
    return found


def _names(value: Any) -> Iterator[str]:
    """Every name in an export: Name tags, group names, key pairs."""
    if isinstance(value, dict):
        if value.get("Key") == "Name" and isinstance(value.get("Value"), str):
            yield value["Value"]
        for key in ("GroupName", "KeyName"):
            if isinstance(value.get(key), str):
                yield value[key]
        for item in value.values():
            yield from _names(item)
    elif isinstance(value, list):
        for item in value:
            yield from _names(item)


def names_typed(client: TestClient) -> set[str]:
    names: set[str] = set()
    for topology in client.get("/api/v1/topologies").json()["topologies"]:
        names.add(topology["name"])
        names |= set(_names(client.get(f"/api/v1/topologies/{topology['id']}/export").json()))
    return names


def test_the_check_finds_english_the_engine_or_a_page_leaves() -> None:
    page = (
        '<span class="hop-id">instance metadata service · 169.254.169.254</span>'
        "<p>ピアリング接続 pcx-1a2b3c4d (pending-acceptance)</p>"
        '<p data-words="engine">許可します: All traffic ALL ALL sg-0a1b2c3d4e。</p>'
        "<p>web-server (i-0a1b2c3d4e) · 10.0.1.5 · TCP 22 · MissingParameter</p><p>Amazon DNS</p>"
    )
    assert english_words(page, {"web-server"}) == {
        "instance", "metadata", "service", "pending-acceptance", "All", "traffic",
    }  # fmt: skip


def test_no_english_word_is_left_on_the_japanese_pages(client: TestClient) -> None:
    pages = list(japanese_pages(client))  # every page, editor, trace, matrix, exposure, view
    lab = seed_001(client)
    base = f"/topologies/{lab.topology}"
    for destination, preset, port in (  # hops to AWS's services, and a peering's status
        ("169.254.169.254", "http", ""),
        ("169.254.169.123", "custom-udp", "123"),
        ("169.254.169.253", "dns", ""),
        ("172.30.0.2", "dns", ""),
    ):
        test = {"source": lab.web, "destination": destination, "preset": preset, "port": port}
        pages.append((f"trace to {destination}", client.post(f"{base}/test", data=test).text))
    names = names_typed(client)

    left = {what: found for what, html in pages if (found := english_words(html, names))}

    assert left == {}, "\n".join(f"{what}: {sorted(found)}" for what, found in left.items())


def test_every_word_marked_in_the_pages_code_is_in_the_catalog_even_inside_an_f_string() -> None:
    """Babel on Python 3.11 does not look inside f-strings: ``f"{_('Peering')} · …"`` was never
    extracted, so never translated. Every ``_``/``N_``/``gettext`` call on a literal in app/web
    must have its Japanese text."""
    catalog = load()
    missing = set()
    for path in sorted((ROOT / "app" / "web").rglob("*.py")):
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Name)
                and call.func.id in ("_", "N_", "gettext")
                and call.args
                and isinstance(call.args[0], ast.Constant)
                and isinstance(call.args[0].value, str)
            ):
                found = catalog.get(call.args[0].value)
                if found is None or not found.string:
                    missing.add(f"{path.name}:{call.lineno}: {call.args[0].value!r}")
    assert missing == set()
