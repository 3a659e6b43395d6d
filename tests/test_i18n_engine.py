"""The engine's decisions in Japanese (issue 11): the catalog covers every message id, and every
message the tracer says on the seed labs reads in Japanese, with no English sentence left."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

import app.accounts.identify
import app.api.deps
import app.db.store
import app.whole_network  # noqa: F401  (the refusals the store, access layer and throttles declare)
from app.engine import Topology, analyze
from app.engine import operations as op
from app.engine.instance_view import instance_view
from app.engine.labels import PRESETS
from app.engine.messages import TEMPLATES, render
from app.engine.services import amazon_dns_address
from app.i18n import LOCALE_DIR, reading, say, say_fix, say_hop, say_note, translations
from tests.engine.lab import new_lab

ROOT = Path(__file__).resolve().parents[1]
ENGINE_PO = LOCALE_DIR / "ja" / "LC_MESSAGES" / "engine.po"


def _catalog_of(path: Path) -> dict[str, tuple[str, str]]:
    with path.open("rb") as po:
        catalog = read_po(po, locale="ja", domain="engine")
    return {str(m.context): (str(m.id), str(m.string)) for m in catalog if m.id and m.context}


def _catalog() -> dict[str, tuple[str, str]]:
    return _catalog_of(ENGINE_PO)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_every_message_id_has_its_japanese_text_with_the_same_placeholders() -> None:
    catalog = _catalog()
    problems = []
    for message_id, english in TEMPLATES.items():
        msgid, japanese = catalog.get(message_id, ("", ""))
        if msgid != english:
            problems.append(f"{message_id}: not extracted as {english!r} (run make i18n-engine)")
        elif not japanese:
            problems.append(f"{message_id}: no Japanese text")
        elif _fields(japanese) != _fields(english):
            problems.append(f"{message_id}: placeholders {_fields(japanese)} != {_fields(english)}")
    translated = {i for i, (_, japanese) in catalog.items() if japanese}
    untranslated = set(_catalog_of(ROOT / "i18n" / "engine.pot")) - translated
    problems += [f"{i}: extracted (make i18n-engine) but not in engine.po" for i in untranslated]
    assert not problems, "\n".join(problems)
    assert len(TEMPLATES) > 300  # the tracer, explanations, fixes, notes and the refusals


# ---- every message the tracer says on the seed labs ---------------------------------------------
# What may stay in Latin letters in a Japanese sentence: resource ids and names, addresses, rule
# labels and protocols, AWS product and attribute names as the Japanese console writes them.
KEPT = re.compile(
    r"\b[a-z]+-[0-9a-f]{6,}\b|igw-…|\bami-…"
    r"|Amazon DNS|Route 53 Resolver|Amazon Time Sync Service|Elastic IP|enableDnsSupport"
    r"|modify-vpc-attribute --enable-dns-support|RFC 1918"
)
LATIN_KEPT = {
    "TCP", "UDP", "ICMP", "tcp", "udp", "icmp", "ALLOW", "DENY", "ALL", "all", "local",
    "NAT", "ACL", "VPC", "IP", "DNS", "HTTP", "NTP", "AWS",
    "active", "pending", "acceptance",  # a peering connection's status, as AWS spells it
} | {word for name in PRESETS.values() for word in re.findall("[A-Za-z]+", name)}  # fmt: skip
# (the console's names of well-known ports in a rule's type: SSH, HTTP, MySQL/Aurora…)


def _latin_left(text: str, names: set[str]) -> set[str]:
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    text = KEPT.sub(" ", text)
    return set(re.findall(r"[A-Za-z]{2,}", text)) - LATIN_KEPT


def _requests(lab: Topology) -> Iterator[dict[str, Any]]:
    """SSH, ping, HTTP and DNS between every pair of instances and a home PC on the internet;
    to the Amazon DNS server, instance metadata and Time Sync from every instance."""
    ends = ["203.0.113.5", *lab.instances]
    traffic: list[dict[str, Any]] = [
        {"protocol": "tcp", "destination_port": 22},
        {"protocol": "icmp"},
        {"protocol": "tcp", "destination_port": 443},
        {"protocol": "udp", "destination_port": 53},
    ]
    for source in ends:
        for destination in ends:
            if source != destination:
                for t in traffic:
                    yield {"source": source, "destination": destination, **t}
        if source in lab.instances:
            vpc = lab.vpcs[lab.instances[source].vpc_id]
            for address, t in (
                (str(amazon_dns_address(vpc)), traffic[3]),
                (str(amazon_dns_address(vpc)), traffic[0]),
                ("169.254.169.254", {"protocol": "tcp", "destination_port": 80}),
                ("169.254.169.123", {"protocol": "udp", "destination_port": 123}),
                ("169.254.10.10", traffic[0]),
                ("10.250.0.9", traffic[0]),
            ):
                yield {"source": source, "destination": address, **t}


def _labs() -> Iterator[tuple[str, Topology]]:
    for template in ("seed-002-ssh", "seed-001-nat", "default-vpc"):
        yield template, new_lab(template)
        stopped = new_lab(template)
        for instance_id in list(stopped.instances)[:1]:
            op.stop_instances(stopped, instance_id=instance_id)
        yield f"{template}, one instance stopped", stopped
        no_routes = new_lab(template)
        for table in list(no_routes.route_tables.values()):
            for route in table.routes:
                if str(route.destination) == "0.0.0.0/0":
                    op.delete_route(
                        no_routes,
                        route_table_id=table.route_table_id,
                        destination_cidr_block="0.0.0.0/0",
                    )
        yield f"{template}, no default routes", no_routes
        stateless = new_lab(template)  # network ACLs that forget the ephemeral ports, and deny
        for acl in list(stateless.network_acls.values()):
            for egress, number, action, ports in (
                (True, 50, "deny", {"From": 1024, "To": 65535}),
                (False, 60, "deny", {"From": 443, "To": 443}),
            ):
                op.create_network_acl_entry(
                    stateless,
                    network_acl_id=acl.network_acl_id,
                    rule_number=number,
                    egress=egress,
                    rule_action=action,
                    protocol="tcp",
                    cidr_block="0.0.0.0/0",
                    port_range=ports,
                )
        yield f"{template}, network ACLs without ephemeral ports", stateless


def _said(lab_name: str, lab: Topology) -> Iterator[tuple[str, dict[str, Any]]]:
    for request in _requests(lab):
        try:
            result = analyze(lab, request).to_dict()
        except Exception:  # a request the lab refuses (no instance, no such address)
            continue
        for path in ("forward_path", "return_path"):
            for hop in result[path]:
                yield "message", hop
        for explanation in result["explanations"]:
            yield "message", explanation
            yield "suggested_fix", explanation


def _in_japanese(message_id: str, params: dict[str, Any]) -> str:
    """The Japanese words, failing (KeyError) on any id or parameter the catalog lacks."""
    catalog = translations("ja")

    def japanese(context: str, english: str) -> str:
        found = catalog.upgettext(context, english)
        if found == english and _fields(english) != set() and not english.startswith("{"):
            raise KeyError(f"no Japanese for {context}")
        return found

    return render(message_id, params, japanese)


def test_every_message_the_tracer_says_on_the_seed_labs_reads_in_japanese() -> None:
    said_ids: set[str] = set()
    problems: dict[str, str] = {}
    for lab_name, lab in _labs():
        names = {r.name for kind in lab.resources.values() for r in kind.values() if r.name}
        for field, item in _said(lab_name, lab):
            message_id = item[f"{field}_id"]
            params = item[f"{field}_params"]
            said_ids.add(message_id)
            japanese = _in_japanese(message_id, params)
            labels = {params["rule"]} if isinstance(params.get("rule"), str) else set()
            left = _latin_left(japanese, names | labels)  # rule labels as the console's
            if left:
                problems.setdefault(message_id, f"{japanese}  <- {sorted(left)}")
            with reading("ja"):
                shown = say_hop(item) if field == "message" else say_fix(item)
            assert shown == japanese
            assert say(message_id, params, item[field]) == item[field]  # English: as stored
            assert render(message_id, params, lambda _, english: english) == item[field]
    assert not problems, "\n".join(f"{k}: {v}" for k, v in sorted(problems.items()))
    # Blocked and passing, ping, SSH, NAT and DNS: the walk met most of what a lab can say.
    for expected in (
        "hop.igw.ingress",
        "hop.nat.translated.ports",
        "hop.service.delivered",
        "hop.security_group.reply",
        "explain.security_group.no_match.inbound",
        "explain.instance.state",
        "explain.route.no_match",
        "fix.security_group.inbound",
        "hop.instance.delivered.would",
        "explain.nacl.stateless",
        "explain.nacl.denied.inbound",
    ):
        assert expected in said_ids
    assert len(said_ids) >= 40, sorted(said_ids)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_an_unknown_or_missing_id_reads_as_the_stored_english(language: str) -> None:
    with reading(language):
        assert say(None, None, "Stored before messages were data.") == (
            "Stored before messages were data."
        )
        assert say("hop.gone", {}, "An id this version no longer has.") == (
            "An id this version no longer has."
        )


def test_the_instance_view_notes_read_in_japanese() -> None:
    lab = new_lab("seed-002-ssh")
    instance = next(i for i in lab.instances.values() if i.name == "myinstance-0001")
    view = instance_view(lab, instance.instance_id)

    with reading("ja"):
        notes = [say_note(n) for n in view.to_dict()["note_messages"]]

    assert view.to_dict()["notes"][0].startswith("The public address ")  # English as before
    assert notes[0].startswith("パブリックアドレス ")
    assert "インスタンスからは見えません" in notes[0]
