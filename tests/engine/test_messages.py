"""Decisions as data: hops, explanations and refusals carry a message id and its parameters."""

import ast
import json
import textwrap
from pathlib import Path

import pytest

from app.engine import AwsError
from app.engine import operations as op
from app.engine.messages import Message, message, render

from .lab import new_lab, trace


def test_a_blocked_hop_and_its_explanation_carry_ids_and_json_parameters() -> None:
    lab = new_lab("seed-002-ssh")
    instance = next(iter(lab.instances))

    result = trace(lab, "203.0.113.5", instance, protocol="icmp").to_dict()

    [explanation] = result["explanations"]
    assert explanation["message_id"] == "explain.security_group.no_match.inbound"
    assert explanation["message_params"]["traffic"] == {"id": "traffic.echo_request", "params": {}}
    assert explanation["message_params"]["peer"] == "203.0.113.5"
    assert explanation["suggested_fix_id"] == "fix.security_group.inbound"
    assert explanation["suggested_fix_params"]["cidr"] == "203.0.113.5/32"
    blocked = next(h for h in result["forward_path"] if h["action"] == "blocked")
    assert blocked["message_id"] == explanation["message_id"]
    # What the store keeps reads back the same words.
    kept = json.loads(json.dumps(result))["explanations"][0]
    english = render(kept["suggested_fix_id"], kept["suggested_fix_params"], lambda _, t: t)
    assert english == explanation["suggested_fix"]


def test_a_would_be_hop_has_its_own_id() -> None:
    lab = new_lab("seed-002-ssh")
    instance = next(iter(lab.instances))
    op.stop_instances(lab, instance_id=instance)

    result = trace(lab, "203.0.113.5", instance).to_dict()

    ids = [h["message_id"] for h in result["forward_path"]]
    assert "explain.instance.state" in ids
    assert result["forward_path"][0]["message_id"] == "hop.igw.ingress"
    assert result["explanations"][0]["message_params"]["state"] == {
        "id": "state.stopped",
        "params": {},
    }


def test_a_refusal_keeps_its_english_message_and_adds_its_id() -> None:
    lab = new_lab("blank")
    vpc = op.create_vpc(lab, cidr_block="10.0.0.0/16")

    with pytest.raises(AwsError) as refused:
        op.create_subnet(lab, vpc_id=vpc.vpc_id, cidr_block="10.1.0.0/24")

    assert refused.value.code == "InvalidSubnet.Range"
    assert refused.value.message == (
        "The subnet 10.1.0.0/24 is not inside the VPC's CIDR blocks (10.0.0.0/16)."
    )
    assert refused.value.message_id == "error.subnet.create_subnet.InvalidSubnet.Range"
    assert refused.value.params == {"block": "10.1.0.0/24", "items": "10.0.0.0/16"}


def test_an_undeclared_id_is_refused_when_the_engine_says_it() -> None:
    with pytest.raises(KeyError):
        message("hop.never.declared")
    assert str(Message("word.inbound")) == "inbound"


# ---- no refusal in the engine bypasses the catalog ------------------------------------------
APP = Path(__file__).resolve().parents[2] / "app"
ENGINE = APP / "engine"
# Where else an AwsError is raised with words a learner reads: the store and its lab life, the
# access layer, the accounts, the throttles and the queue of whole-network jobs.
REFUSING = [
    *sorted(ENGINE.rglob("*.py")),
    *sorted((APP / "db").rglob("*.py")),
    *sorted((APP / "accounts").rglob("*.py")),
    APP / "api" / "deps.py",
    APP / "jobs.py",
    APP / "throttle.py",
    APP / "whole_network.py",
]


def _callee(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    return call.func.attr if isinstance(call.func, ast.Attribute) else None


def _is_english(node: ast.expr, words: set[str]) -> bool:
    """A sentence written in the code: a literal with a space (other than a word the engine
    looks up in a table of words to translate, ``{"CIDR block": text(...)}``), an f-string, a
    string built with + or % or .format, or an error's ``.message`` (its English, passed on
    without its id)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and " " in node.value and node.value not in words
    if isinstance(node, ast.JoinedStr):
        return any(_is_english(part, set()) for part in node.values)
    if isinstance(node, ast.BinOp):
        return _is_english(node.left, words) or _is_english(node.right, words)
    if isinstance(node, ast.Call) and _callee(node) == "format":
        return isinstance(node.func, ast.Attribute) and _is_english(node.func.value, words)
    if isinstance(node, ast.IfExp):
        return _is_english(node.body, words) or _is_english(node.orelse, words)
    return isinstance(node, ast.Attribute) and node.attr == "message"


def _words_to_translate(tree: ast.AST) -> set[str]:
    """The keys of tables such as ``WHATS = {"CIDR block": text("what.cidr_block", …)}``."""
    return {
        key.value
        for table in ast.walk(tree)
        if isinstance(table, ast.Dict)
        and any(isinstance(v, ast.Call) and _callee(v) == "text" for v in table.values)
        for key in table.keys
        if isinstance(key, ast.Constant) and isinstance(key.value, str)
    }


def _arguments(call: ast.Call) -> list[ast.expr]:
    return [*call.args, *(k.value for k in call.keywords)]


def english_refusals(sources: dict[str, str]) -> list[str]:
    """Every place in ``sources`` (name -> Python source) where an AwsError, or a function that
    passes its parameters into one (``refuse``, ``_Reader.fail``, …, found to a fixpoint), is
    given English words instead of a message id and its parameters."""
    trees = {name: ast.parse(source) for name, source in sources.items()}
    words = set().union(*map(_words_to_translate, trees.values()))
    functions = [  # a constructor's arguments are not its words (super().__init__(...))
        f
        for t in trees.values()
        for f in ast.walk(t)
        if isinstance(f, ast.FunctionDef) and not f.name.startswith("__")
    ]
    refusing = {"AwsError"} | {
        c.name
        for t in trees.values()
        for c in ast.walk(t)
        if isinstance(c, ast.ClassDef)
        and any(isinstance(b, ast.Name) and b.id == "AwsError" for b in c.bases)
    }
    while True:
        more = {
            f.name
            for f in functions
            if f.name not in refusing
            and any(
                isinstance(call, ast.Call)
                and _callee(call) in refusing
                and any(
                    isinstance(arg, ast.Name) and arg.id in {a.arg for a in f.args.args}
                    for arg in _arguments(call)
                )
                for call in ast.walk(f)
            )
        }
        if not more:
            break
        refusing |= more
    return sorted(
        f"{name}:{call.lineno}: {_callee(call)}({ast.unparse(arg)[:60]})"
        for name, tree in trees.items()
        for call in ast.walk(tree)
        if isinstance(call, ast.Call) and _callee(call) in refusing
        for arg in _arguments(call)
        if _is_english(arg, words)
    )


def test_no_refusal_in_the_engine_the_store_or_the_access_layer_is_english_only() -> None:
    sources = {str(path.relative_to(APP)): path.read_text(encoding="utf-8") for path in REFUSING}
    assert english_refusals(sources) == []


def test_the_check_finds_english_given_to_an_error_or_to_a_helper_that_raises_one() -> None:
    source = textwrap.dedent("""
        class InvalidBundle(AwsError): ...
        def fail(rid, said, code="InvalidParameterValue"):
            return InvalidBundle(code, message("error.where", where=rid, error=said))
        def check(r, error):
            raise AwsError("InvalidParameterValue", f"{r} is not valid.")
            raise fail(r, "the field is missing.", "MissingParameter")
            raise fail(r, error.message, error.code)
            raise InvalidBundle("MissingParameter", "Give a " + r)
            raise fail(r, message("bundle.field.missing", field="VpcId"), "MissingParameter")
    """)
    assert english_refusals({"read.py": source}) == [
        "read.py:6: AwsError(f'{r} is not valid.')",
        "read.py:7: fail('the field is missing.')",
        "read.py:8: fail(error.message)",
        "read.py:9: InvalidBundle('Give a ' + r)",
    ]
