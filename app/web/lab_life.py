"""A lab's life as pages: duplicate, reset, the history with "restore", and a confirmation page
before every destructive action of the workspace when JavaScript is off.

A destructive workspace form is a GET form to ``/confirm/{action}`` with ``hx-post`` and
``hx-confirm`` on top: with JavaScript the browser asks and htmx posts the action; without it the
browser opens the confirmation page, whose form posts the real action. Reset and restore always
go through their confirmation page. The same store operations as the JSON API.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.db.history import REVISIONS_KEPT
from app.engine import AwsError, Topology
from app.engine.labels import nacl_entry_label, sg_rule_label
from app.i18n import gettext as _

from . import history_words
from .language import N_
from .pages import FormValues, StoreDep, see_other
from .render import env, render
from .workspace import _name, find

router = APIRouter(include_in_schema=False)

# The workspace actions that delete or end something: their forms ask first (_forms.html).
CONFIRMED = frozenset(
    {
        "delete",
        "terminate-instance",
        "delete-route",
        "delete-nacl-entry",
        "revoke-sg",
        "unassign-ip",
        "reject-peering",
    }
)
env.globals["confirmed_actions"] = CONFIRMED

DELETE = N_("Delete")  # Babel does not extract N_() nested in another call
DELETE_LABELS = {  # the delete buttons' words (templates/editors)
    "vpc": N_("Delete VPC"),
    "subnet": N_("Delete subnet"),
    "internet-gateway": N_("Delete internet gateway"),
    "route-table": N_("Delete route table"),
    "nat-gateway": N_("Delete NAT gateway"),
    "security-group": N_("Delete security group"),
    "network-acl": N_("Delete network ACL"),
    "network-interface": N_("Delete network interface"),
    "address": N_("Delete Elastic IP (release)"),
    "vpc-peering-connection": N_("Delete peering connection"),
    "dhcp-options": N_("Delete DHCP options set"),
}
UNDO_HINT = N_(
    "Nothing changes until you confirm. If you change your mind afterwards, restore the "
    "revision before this change from the topology's history."
)


def _resource(model: Topology, rid: str) -> tuple[str, Any]:
    found = find(model, rid) if rid else None
    if found is None:
        raise AwsError(
            "InvalidParameterValue", _("There is nothing to confirm: that resource is gone.")
        )
    return found


def _words(action: str, values: dict[str, Any], model: Topology) -> dict[str, str]:
    """The question a destructive action asks, what it means, and its button."""
    text = {k: str(v) for k, v in values.items() if isinstance(v, str)}
    if action == "delete":
        kind, resource = _resource(model, text.get("ResourceId", ""))
        label = _(DELETE_LABELS.get(kind, DELETE))
        question = _("%(action)s %(id)s?") % {
            "action": label,
            "id": _name(resource, text["ResourceId"]),
        }
        return {"question": question, "button": label, "select": text["ResourceId"]}
    if action == "terminate-instance":
        _kind, instance = _resource(model, text.get("InstanceId", ""))
        return {
            "question": _("Terminate %(instance)s?")
            % {"instance": _name(instance, text["InstanceId"])},
            # "You can't start a terminated instance" (EC2 User Guide, "Terminate Amazon EC2
            # instances"); the engine's StartInstances refuses it too.
            "detail": _("As in AWS, a terminated instance cannot be started again."),
            "button": _("Terminate"),
            "select": text["InstanceId"],
        }
    if action == "delete-route":
        _kind, table = _resource(model, text.get("RouteTableId", ""))
        return {
            "question": _("Remove the route to %(destination)s from %(table)s?")
            % {
                "destination": text.get("DestinationCidrBlock", ""),
                "table": _name(table, text["RouteTableId"]),
            },
            "button": _("Remove"),
            "select": text["RouteTableId"],
        }
    if action == "delete-nacl-entry":
        _kind, acl = _resource(model, text.get("NetworkAclId", ""))
        egress = text.get("Direction") == "egress"
        entry = next(
            (
                e
                for e in acl.entries
                if str(e.rule_number) == text.get("RuleNumber") and e.egress == egress
            ),
            None,
        )
        return {
            "question": _("Remove the rule %(rule)s from %(acl)s?")
            % {
                "rule": nacl_entry_label(entry) if entry else text.get("RuleNumber", ""),
                "acl": _name(acl, text["NetworkAclId"]),
            },
            "button": _("Remove"),
            "select": text["NetworkAclId"],
        }
    if action == "revoke-sg":
        _kind, group = _resource(model, text.get("GroupId", ""))
        rules = group.egress if text.get("Direction") == "egress" else group.ingress
        index = text.get("Index", "")
        rule = rules[int(index)] if index.isdigit() and int(index) < len(rules) else None
        if rule is None:
            raise AwsError("InvalidPermission.NotFound", _("That rule is no longer there."))
        return {
            "question": _("Remove the rule %(rule)s from %(group)s?")
            % {"rule": sg_rule_label(rule), "group": _name(group, text["GroupId"])},
            "button": _("Remove"),
            "select": text["GroupId"],
        }
    if action == "unassign-ip":
        _kind, eni = _resource(model, text.get("NetworkInterfaceId", ""))
        return {
            "question": _("Remove %(address)s from %(interface)s?")
            % {
                "address": text.get("PrivateIpAddress", ""),
                "interface": _name(eni, text["NetworkInterfaceId"]),
            },
            "button": _("Remove"),
            "select": text["NetworkInterfaceId"],
        }
    # reject-peering
    _kind, peering = _resource(model, text.get("VpcPeeringConnectionId", ""))
    return {
        "question": _("Reject %(peering)s?")
        % {"peering": _name(peering, text["VpcPeeringConnectionId"])},
        # Only a pending-acceptance request can be accepted (VPC Peering Guide, "VPC peering
        # connection lifecycle": rejected is final); the engine's AcceptVpcPeeringConnection too.
        "detail": _("As in AWS, a rejected request cannot be accepted afterwards."),
        "button": _("Reject"),
        "select": text["VpcPeeringConnectionId"],
    }


def confirm_page(
    request: Request,
    topology: dict[str, Any],
    *,
    question: str,
    details: list[str],
    post_to: str,
    button: str,
    back: str,
    fields: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "confirm_action.html",
        {
            "topology": topology,
            "question": question,
            "details": details,
            "post_to": post_to,
            "fields": fields or {},
            "button": button,
            "back": back,
        },
        status_code=status,
    )


@router.get("/topologies/{topology_id}/confirm/{action}", response_class=HTMLResponse)
def confirm_action(topology_id: str, action: str, request: Request, store: StoreDep) -> Response:
    """Without JavaScript, a destructive form opens this page; its form posts the action."""
    store.check_writable(topology_id)  # a lab one may only read asks nothing: it refuses
    topology, model = store.model(topology_id)
    if action not in CONFIRMED:
        raise AwsError(
            "InvalidAction",
            _("The lab has no action '%(action)s' to confirm.") % {"action": action},
        )
    values = {k: v for k, v in request.query_params.items() if k != "csrf_token"}
    words = _words(action, values, model)
    select = values.get("_select") or words["select"]
    return confirm_page(
        request,
        topology,
        question=words["question"],
        details=[d for d in (words.get("detail"), _(UNDO_HINT)) if d],
        post_to=f"/topologies/{topology_id}/do/{action}",
        fields=values,
        button=words["button"],
        back=f"/topologies/{topology_id}?" + urlencode({"select": select}),
    )


# ---- duplicate ------------------------------------------------------------------------------
@router.post("/topologies/{topology_id}/duplicate")
def duplicate_topology(topology_id: str, store: StoreDep, values: FormValues) -> Response:
    source = store.get_topology(topology_id)
    name = str(values.get("name") or "").strip() or _("%(name)s (copy)") % {"name": source["name"]}
    copy = store.duplicate_topology(topology_id, name=name[:200])
    return see_other(f"/topologies/{copy['id']}?done=copied")


# ---- reset ----------------------------------------------------------------------------------
def no_template_words() -> str:
    return _(
        "This topology was not created from a template (it was imported, copied from an "
        "instructor's network for an assignment, or created before the lab remembered "
        "templates), so there is nothing to reset it to. Restore one of its "
        "revisions from its history instead."
    )


@router.get("/topologies/{topology_id}/reset", response_class=HTMLResponse)
def confirm_reset(topology_id: str, request: Request, store: StoreDep) -> HTMLResponse:
    store.check_writable(topology_id)
    topology = store.get_topology(topology_id)
    if topology["template"] is None:
        return confirm_page(
            request,
            topology,
            question=_("This topology cannot be reset"),
            details=[no_template_words()],
            post_to="",
            button="",
            back=f"/topologies/{topology_id}/history",
            status=409,
        )
    return confirm_page(
        request,
        topology,
        question=_("Reset “%(name)s” to its template?") % {"name": topology["name"]},
        details=[
            _(
                "Every resource goes back to the template “%(template)s”: what you built or "
                "changed since is replaced. The saved tests are kept."
            )
            % {"template": history_words.template_words(topology["template"])},
            _(
                "The reset is a new revision: to undo it, restore revision %(revision)s (the "
                "topology as it is now) from the history."
            )
            % {"revision": topology["revision"]},
        ],
        post_to=f"/topologies/{topology_id}/reset",
        button=_("Reset to the template"),
        back=f"/topologies/{topology_id}",
    )


@router.post("/topologies/{topology_id}/reset")
def reset_topology(topology_id: str, request: Request, store: StoreDep) -> Response:
    try:
        store.reset_topology(topology_id)
    except AwsError as error:
        if error.code != "OperationNotPermitted":
            raise
        return confirm_reset(topology_id, request, store)
    return see_other(f"/topologies/{topology_id}?done=reset")


# ---- history --------------------------------------------------------------------------------
@router.get("/topologies/{topology_id}/history", response_class=HTMLResponse)
def show_history(topology_id: str, request: Request, store: StoreDep) -> HTMLResponse:
    topology = store.get_topology(topology_id)
    listed = store.list_revisions(topology_id)
    entries = [
        {
            **entry,
            "when": entry["created_at"][:19].replace("T", " ") + " UTC",
            "what": history_words.action_words(entry),
            "lines": history_words.change_lines(entry),
        }
        for entry in listed["revisions"]
    ]
    return render(
        request,
        "history.html",
        {"topology": topology, "entries": entries, "kept": listed["kept"]},
    )


def _restore_error(error: AwsError) -> str:
    if error.code == "InvalidRevision.Expired":
        return _(
            "That revision is no longer kept: the lab keeps the last %(kept)s revisions of a "
            "topology, and can restore only those."
        ) % {"kept": REVISIONS_KEPT}
    if error.code == "InvalidRevision.NotFound":
        return _("This topology has no such revision.")
    return _("That revision is the topology as it is now: there is nothing to restore.")


@router.get("/topologies/{topology_id}/revisions/{revision}/restore", response_class=HTMLResponse)
def confirm_restore(
    topology_id: str, revision: int, request: Request, store: StoreDep
) -> HTMLResponse:
    store.check_writable(topology_id)
    topology = store.get_topology(topology_id)
    entries = {e["revision"]: e for e in store.list_revisions(topology_id)["revisions"]}
    entry = entries.get(revision)
    back = f"/topologies/{topology_id}/history"
    if entry is None or not entry["restorable"]:
        refusal = AwsError(
            "InvalidRevision.NotFound"
            if revision >= topology["revision"]
            else "InvalidRevision.Expired",
            "",
        )
        if revision == topology["revision"]:
            refusal = AwsError("InvalidParameterValue", "")
        return confirm_page(
            request,
            topology,
            question=_("Revision %(revision)s cannot be restored") % {"revision": revision},
            details=[_restore_error(refusal)],
            post_to="",
            button="",
            back=back,
            status=400,
        )
    return confirm_page(
        request,
        topology,
        question=_("Restore revision %(revision)s of “%(name)s”?")
        % {"revision": revision, "name": topology["name"]},
        details=[
            _("Revision %(revision)s: %(what)s.")
            % {"revision": revision, "what": history_words.action_words(entry)},
            _(
                "The topology becomes what it was at revision %(revision)s, as a new revision "
                "%(new)s: the history keeps every revision, so this can be undone by restoring "
                "revision %(current)s. The saved tests are kept."
            )
            % {
                "revision": revision,
                "new": topology["revision"] + 1,
                "current": topology["revision"],
            },
        ],
        post_to=f"/topologies/{topology_id}/revisions/{revision}/restore",
        button=_("Restore revision %(revision)s") % {"revision": revision},
        back=back,
    )


@router.post("/topologies/{topology_id}/revisions/{revision}/restore")
def restore_revision(
    topology_id: str, revision: int, request: Request, store: StoreDep
) -> Response:
    try:
        store.restore_revision(topology_id, revision)
    except AwsError as error:
        if not error.code.startswith("InvalidRevision") and error.code != "InvalidParameterValue":
            raise
        return confirm_restore(topology_id, revision, request, store)
    return see_other(f"/topologies/{topology_id}?done=restored")
