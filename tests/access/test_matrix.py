"""The access-control matrix: every route of the JSON API and of the pages, from ``app.routes``.

For each route that takes a topology id (or another owned id), a real request that succeeds
for its owner (alice, a student) is sent:
- by bob (another student) and by an instructor of another class: 404, the same answer as for
  an id that never existed (word for word but the id), and alice's lab is unchanged;
- by alice's instructor: the read views answer, every change is refused (403
  ``UnauthorizedOperation``) and alice's lab is unchanged;
- by alice herself, last: it succeeds (so the 404s above are the check's doing, not a bad
  request).

A route the app gains is in the matrix at once: ``test_every_route_is_in_the_matrix`` fails
until it has a request in ``REQUESTS`` or a reason in ``NOT_OWNED``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.store import Accounts
from app.db import tables
from app.db.store import Store
from app.engine import AwsError
from app.engine.operations import create_dhcp_options
from app.main import create_app
from tests.accounts.helpers import Classroom

from .http import signed_in_people
from .people import People

API = "/api/v1"
T = "/topologies/{topology_id}"
UNKNOWN = "0123456789ab"
JA = {"Accept-Language": "ja"}
GUIDED_LAB = "seed-002-ssh-from-home"
CHALLENGE = "challenge-ssh"  # the routes about a challenge's hints ask a copy of alice's


@dataclass
class Call:
    """One request: path parameters (besides the topology id), a JSON body, a query or a
    form; ``read``: an instructor may send it to a student's lab (it changes nothing there)."""

    path: dict[str, Any] = field(default_factory=dict)
    json: Any = None
    params: dict[str, Any] | None = None
    form: dict[str, Any] | None = None
    read: bool = False
    owner: str = "alice"  # whose id the route is about
    teacher_reads: bool = True  # alice's instructor may read it (her labs, not her tokens)
    not_found: int = 404  # what an unknown id, and so anybody else's, answers


Ids = dict[str, Any]
Spec = Callable[[Ids], Call]


def name_tag(name: str) -> list[dict[str, str]]:
    return [{"Key": "Name", "Value": name}]


def on(resource: str, **kwargs: Any) -> Spec:
    """A call about the resource named ``resource`` in the lab (``ids[resource]``)."""

    def spec(ids: Ids) -> Call:
        return Call(path={"resource_id": ids[resource]}, **kwargs)

    return spec


def read_of(resource: str | None = None) -> Spec:
    return on(resource, read=True) if resource else (lambda ids: Call(read=True))


COLLECTIONS = {
    # collection: (a resource of that kind that can be deleted, a body that creates one)
    "vpcs": ("vpc4", lambda i: {"CidrBlock": "10.80.0.0/16"}),
    "dhcp-options": (
        "dopt",
        lambda i: {"DhcpConfigurations": [{"Key": "domain-name", "Values": ["lab.internal"]}]},
    ),
    "subnets": ("spare_subnet", lambda i: {"VpcId": i["vpc"], "CidrBlock": "172.30.9.0/24"}),
    "internet-gateways": ("igw_spare", lambda i: {}),
    "route-tables": ("rt_spare", lambda i: {"VpcId": i["vpc"]}),
    "network-acls": ("nacl_spare", lambda i: {"VpcId": i["vpc"]}),
    "security-groups": (
        "sg_spare",
        lambda i: {"GroupName": "more", "Description": "more", "VpcId": i["vpc"]},
    ),
    "network-interfaces": ("eni_spare", lambda i: {"SubnetId": i["public"]}),
    "instances": ("db", lambda i: {"SubnetId": i["public"]}),
    "nat-gateways": (
        "nat",
        lambda i: {"SubnetId": i["public"], "AllocationId": i["eip_spare"]},
    ),
    "addresses": ("eip_spare", lambda i: {}),
    "vpc-peering-connections": ("pcx", lambda i: {"VpcId": i["vpc"], "PeerVpcId": i["vpc3"]}),
}


def resource_requests() -> dict[tuple[str, str], Spec]:
    specs: dict[tuple[str, str], Spec] = {}
    for collection, (spare, body) in COLLECTIONS.items():
        base = f"{API}{T}/{collection}"
        specs["GET", base] = read_of()
        specs["GET", base + "/{resource_id}"] = read_of(spare)
        specs["DELETE", base + "/{resource_id}"] = on(spare)
        specs["POST", base] = lambda ids, body=body: Call(json=body(ids))
    return specs


def sg_rule(port: int) -> dict[str, Any]:
    return {
        "IpPermissions": [
            {
                "IpProtocol": "tcp",
                "FromPort": port,
                "ToPort": port,
                "IpRanges": [{"CidrIp": "10.0.0.0/8"}],
            }
        ]
    }


NACL_RULE = {
    "RuleNumber": 100,
    "Egress": False,
    "RuleAction": "allow",
    "Protocol": "tcp",
    "CidrBlock": "0.0.0.0/0",
    "PortRange": {"From": 22, "To": 22},
}
R = API + T

REQUESTS: dict[tuple[str, str], Spec] = {
    **resource_requests(),
    # topologies
    ("GET", R): read_of(),
    ("PATCH", R): lambda i: Call(json={"name": "renamed"}),
    ("DELETE", R): lambda i: Call(),
    ("POST", R + "/duplicate"): read_of(),  # reads the lab; the copy is the asker's own
    ("POST", R + "/import"): lambda i: Call(
        json={"Vpcs": [{"VpcId": "vpc-0a0a0a0a0a0a0a0a0", "CidrBlock": "10.90.0.0/16"}]}
    ),
    ("GET", R + "/export"): read_of(),
    # a lab's life: reset, history, restore (the copy has a revision 2 to go back from)
    ("POST", R + "/reset"): lambda i: Call(),
    ("GET", R + "/revisions"): read_of(),
    ("POST", R + "/revisions/{revision}/restore"): lambda i: Call(path={"revision": 1}),
    # actions on resources
    ("POST", R + "/vpcs/{resource_id}/associate-cidr-block"): on(
        "vpc", json={"CidrBlock": "172.20.0.0/16"}
    ),
    ("POST", R + "/vpcs/{resource_id}/associate-dhcp-options"): lambda i: Call(
        path={"resource_id": i["vpc"]}, json={"DhcpOptionsId": i["dopt"]}
    ),
    ("POST", R + "/vpcs/{resource_id}/modify-attribute"): on(
        "vpc", json={"EnableDnsHostnames": True}
    ),
    ("POST", R + "/subnets/{resource_id}/modify-attribute"): on(
        "private", json={"MapPublicIpOnLaunch": True}
    ),
    ("POST", R + "/route-tables/{resource_id}/routes"): lambda i: Call(
        path={"resource_id": i["rt_spare"]},
        json={"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": i["igw"]},
    ),
    ("PUT", R + "/route-tables/{resource_id}/routes"): lambda i: Call(
        path={"resource_id": i["private_rt"]},
        json={"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": i["igw"]},
    ),
    ("DELETE", R + "/route-tables/{resource_id}/routes"): on(
        "public_rt", params={"DestinationCidrBlock": "0.0.0.0/0"}
    ),
    ("POST", R + "/route-tables/{resource_id}/associate"): lambda i: Call(
        path={"resource_id": i["rt_spare"]}, json={"SubnetId": i["spare_subnet"]}
    ),
    ("POST", R + "/route-tables/{resource_id}/disassociate"): lambda i: Call(
        path={"resource_id": i["public_rt"]}, json={"AssociationId": i["public_association"]}
    ),
    ("POST", R + "/route-tables/{resource_id}/replace-association"): lambda i: Call(
        path={"resource_id": i["rt_spare"]}, json={"AssociationId": i["public_association"]}
    ),
    ("POST", R + "/route-tables/{resource_id}/set-main"): on("rt_spare"),
    ("POST", R + "/internet-gateways/{resource_id}/attach"): lambda i: Call(
        path={"resource_id": i["igw_spare"]}, json={"VpcId": i["peer_vpc"]}
    ),
    ("POST", R + "/internet-gateways/{resource_id}/detach"): lambda i: Call(
        path={"resource_id": i["igw3"]}, json={"VpcId": i["vpc3"]}
    ),
    ("POST", R + "/security-groups/{resource_id}/authorize-ingress"): on(
        "sg_spare", json=sg_rule(8080)
    ),
    ("POST", R + "/security-groups/{resource_id}/authorize-egress"): on(
        "sg_spare", json=sg_rule(8080)
    ),
    ("POST", R + "/security-groups/{resource_id}/revoke-ingress"): on(
        "sg_spare", json=sg_rule(9000)
    ),
    ("POST", R + "/security-groups/{resource_id}/revoke-egress"): on(
        "sg_spare", json=sg_rule(9000)
    ),
    ("POST", R + "/network-acls/{resource_id}/entries"): on(
        "nacl_spare", json={**NACL_RULE, "RuleNumber": 200}
    ),
    ("PUT", R + "/network-acls/{resource_id}/entries"): on(
        "nacl_spare", json={**NACL_RULE, "RuleAction": "deny"}
    ),
    ("POST", R + "/network-acls/{resource_id}/delete-entry"): on(
        "nacl_spare", json={"RuleNumber": 100, "Egress": False}
    ),
    ("POST", R + "/network-acls/{resource_id}/associate"): lambda i: Call(
        path={"resource_id": i["nacl_spare"]}, json={"SubnetId": i["spare_subnet"]}
    ),
    ("POST", R + "/addresses/{resource_id}/associate"): lambda i: Call(
        path={"resource_id": i["eip_spare"]}, json={"InstanceId": i["db"]}
    ),
    ("POST", R + "/addresses/{resource_id}/disassociate"): on("eip2"),
    ("POST", R + "/instances/{resource_id}/start"): on("db"),
    ("POST", R + "/instances/{resource_id}/stop"): on("web"),
    ("POST", R + "/instances/{resource_id}/terminate"): on("web"),
    ("GET", R + "/instances/{resource_id}/view"): read_of("web"),
    ("POST", R + "/network-interfaces/{resource_id}/assign-private-ip-addresses"): on(
        "eni_spare", json={"SecondaryPrivateIpAddressCount": 1}
    ),
    ("POST", R + "/network-interfaces/{resource_id}/unassign-private-ip-addresses"): lambda i: Call(
        path={"resource_id": i["eni_spare"]},
        json={"PrivateIpAddresses": [i["eni_spare_secondary"]]},
    ),
    ("POST", R + "/network-interfaces/{resource_id}/attach"): lambda i: Call(
        path={"resource_id": i["eni_spare"]}, json={"InstanceId": i["db"], "DeviceIndex": 1}
    ),
    ("POST", R + "/network-interfaces/{resource_id}/detach"): on("eni2"),
    ("POST", R + "/network-interfaces/{resource_id}/modify-attribute"): on(
        "eni_spare", json={"SourceDestCheck": False}
    ),
    ("POST", R + "/vpc-peering-connections/{resource_id}/accept"): on("pcx"),
    ("POST", R + "/vpc-peering-connections/{resource_id}/reject"): on("pcx"),
    # saved tests and whole-network analyses
    ("POST", R + "/analyses"): lambda i: Call(json=i["ssh"]),
    ("GET", R + "/analyses"): read_of(),
    ("GET", R + "/analyses/{analysis_id}"): lambda i: Call(
        path={"analysis_id": i["analysis"]}, read=True
    ),
    ("DELETE", R + "/analyses/{analysis_id}"): lambda i: Call(path={"analysis_id": i["analysis"]}),
    ("POST", R + "/analyses/{analysis_id}/rerun"): lambda i: Call(
        path={"analysis_id": i["analysis"]}
    ),
    ("GET", R + "/exposure"): read_of(),
    # guided labs: alice's lab follows lab 002, whose first step (a /16 VPC) her seed passes
    ("GET", R + "/lab"): read_of(),
    ("POST", R + "/lab/next"): lambda i: Call(),
    ("POST", R + "/lab/step"): lambda i: Call(json={"step": 0}),
    # a troubleshooting challenge's hint (on a copy of alice's challenge-ssh, see CHALLENGE)
    ("POST", R + "/lab/hint"): lambda i: Call(),
    ("GET", R + "/reachability-matrix"): lambda i: Call(params={"port": 22}, read=True),
    # pages and their actions
    ("POST", T + "/rename"): lambda i: Call(form={"name": "renamed"}),
    ("GET", T + "/delete"): lambda i: Call(),  # the confirmation of a delete: owner only
    ("POST", T + "/delete"): lambda i: Call(form={}),
    ("GET", T + "/export.json"): read_of(),
    ("GET", T + "/history"): read_of(),
    # confirmations of a change ask only who may make it, as /delete does
    ("GET", T + "/reset"): lambda i: Call(),
    ("POST", T + "/reset"): lambda i: Call(form={}),
    ("GET", T + "/revisions/{revision}/restore"): lambda i: Call(path={"revision": 1}),
    ("POST", T + "/revisions/{revision}/restore"): lambda i: Call(path={"revision": 1}, form={}),
    ("GET", T + "/confirm/{action}"): lambda i: Call(
        path={"action": "terminate-instance"}, params={"InstanceId": i["web"]}
    ),
    ("POST", T + "/duplicate"): lambda i: Call(form={}, read=True),
    ("GET", T): read_of(),
    ("POST", T + "/do/{action}"): lambda i: Call(
        path={"action": "create-vpc"}, form={"CidrBlock": "10.80.0.0/16"}
    ),
    # stepping through a trace, hop by hop: a saved test's, or one carried in the address
    ("GET", T + "/analyses/{analysis_id}/step/{number}"): lambda i: Call(
        path={"analysis_id": i["analysis"], "number": 1}, read=True
    ),
    ("GET", T + "/step/{number}"): lambda i: Call(
        path={"number": 1},
        params={"source": "internet", "destination": i["web"], "preset": "ssh"},
        read=True,
    ),
    ("POST", T + "/test"): lambda i: Call(
        form={"source": "internet", "destination": i["web"], "preset": "ssh"}, read=True
    ),
    ("POST", T + "/tests/rerun"): lambda i: Call(form={}),
    ("POST", T + "/lab/next"): lambda i: Call(form={}),
    ("POST", T + "/lab/step"): lambda i: Call(form={"step": "0"}),
    ("POST", T + "/lab/hint"): lambda i: Call(form={}),
    ("GET", T + "/exposure"): read_of(),
    ("GET", T + "/matrix"): read_of(),
    ("GET", T + "/trace"): lambda i: Call(
        params={"source": "internet", "destination": i["web"]}, read=True
    ),
    ("GET", T + "/instances/{instance_id}"): lambda i: Call(
        path={"instance_id": i["web"]}, read=True
    ),
    # an API token is its user's alone, her instructor's 404 too
    # (app/web/accounts.py answers an unknown token, and so anybody else's, by a redirect to
    # /account: the same answer either way, and nothing revoked)
    ("GET", "/account/tokens/{token_id}/revoke"): lambda i: Call(
        read=True, teacher_reads=False, not_found=303
    ),
    ("POST", "/account/tokens/{token_id}/revoke"): lambda i: Call(
        form={}, teacher_reads=False, not_found=303
    ),
    # a class (with its students' labs) is its instructor's: everybody else gets the 404
    ("GET", "/classes/{class_id}"): lambda i: Call(read=True, owner="teacher"),
    ("GET", "/classes/{class_id}/students/{student_id}/reset"): lambda i: Call(
        read=True, owner="teacher"
    ),
    ("POST", "/classes/{class_id}/students"): lambda i: Call(
        form={"login": "carol", "display_name": "Carol"}, owner="teacher"
    ),
    ("POST", "/classes/{class_id}/join-code"): lambda i: Call(
        form={"action": "new"}, owner="teacher"
    ),
    ("POST", "/classes/{class_id}/students/{student_id}/reset"): lambda i: Call(
        form={}, owner="teacher"
    ),
    ("POST", "/classes/{class_id}/roster"): lambda i: Call(
        form={"text": "login,display_name\ndave,Dave"}, owner="teacher"
    ),
    ("POST", "/classes/{class_id}/roster/import"): lambda i: Call(
        form={"content": "login,display_name\nerin,Erin"}, owner="teacher"
    ),
    ("POST", "/classes/{class_id}/passwords.csv"): lambda i: Call(
        form={"csv": "login,password\nalice,x"}, owner="teacher"
    ),
    # an assignment is its class's: its instructor's dashboard, its students' to start
    ("POST", "/classes/{class_id}/assignments"): lambda i: Call(
        form={"lab_id": "seed-002-ssh-from-home", "title": "Week 3"}, owner="teacher"
    ),
    # one made from the instructor's own topology (a student's, which they read, is refused)
    ("GET", "/classes/{class_id}/assignments/new"): lambda i: Call(
        params={"topology_id": i["teacher_topology"]}, read=True, owner="teacher"
    ),
    ("POST", "/classes/{class_id}/assignments/custom"): lambda i: Call(
        form={
            "topology_id": i["teacher_topology"],
            "title": "Week 4",
            "state-igw-attached": "1",
        },
        owner="teacher",
    ),
    ("POST", API + "/classes/{class_id}/assignments/custom"): lambda i: Call(
        json={
            "topology_id": i["teacher_topology"],
            "title": "Week 4",
            "checks": [{"state": {"internet_gateway": {"attached": True}}}],
        },
        owner="teacher",
    ),
    ("GET", "/classes/{class_id}/assignments/{assignment_id}"): lambda i: Call(
        path={"assignment_id": i["assignment_id"]}, read=True, owner="teacher"
    ),
    ("GET", "/classes/{class_id}/assignments/{assignment_id}/grades.csv"): lambda i: Call(
        path={"assignment_id": i["assignment_id"]}, read=True, owner="teacher"
    ),
    ("GET", API + "/classes/{class_id}/assignments/{assignment_id}"): lambda i: Call(
        path={"assignment_id": i["assignment_id"]}, read=True, owner="teacher"
    ),
    ("POST", API + "/assignments/{assignment_id}/start"): lambda i: Call(
        path={"assignment_id": i["assignment_id"]}, teacher_reads=False
    ),
    ("POST", "/assignments/{assignment_id}/start"): lambda i: Call(
        path={"assignment_id": i["assignment_id"]}, form={}, teacher_reads=False
    ),
}

# Routes that take no owned id, with the reason they are not owner-scoped.
NOT_OWNED: dict[tuple[str, str], str] = {
    ("GET", API + "/health"): "the server's health: nobody's data",
    ("GET", API + "/templates"): "the starting points of a new topology: the same for all",
    ("POST", API + "/topologies"): "creates a topology of the asker's own (test_creating_*)",
    ("GET", API + "/topologies"): "lists the asker's own topologies (test_lists_*)",
    ("GET", "/docs"): "the API's documentation",
    ("GET", API + "/assignments"): "lists the asker's own assignments (tests/assignments)",
    ("GET", API + "/labs"): "the guided labs: the same for all",
    ("GET", API + "/labs/{lab_id}"): "a guided lab: the same for all",
    ("POST", API + "/labs/{lab_id}/start"): "creates a topology of the asker's own",
    ("GET", "/labs"): "the guided labs, and the asker's own topologies following them",
    ("POST", "/labs/{lab_id}/start"): "creates a topology of the asker's own",
    ("GET", "/"): "lists the asker's own topologies (test_lists_*)",
    ("POST", "/topologies"): "creates a topology of the asker's own (test_creating_*)",
    ("POST", "/topologies/import"): "creates a topology of the asker's own from a file",
    ("GET", "/language/{language}"): "sets the reader's language cookie",
    ("GET", "/login"): "the sign-in form: nobody's data",
    ("POST", "/login"): "signs in (tests/accounts)",
    ("POST", "/logout"): "ends the asker's own session",
    ("GET", "/account"): "the asker's own account",
    ("GET", "/account/password"): "the asker's own password form",
    ("POST", "/account/password"): "changes the asker's own password",
    ("POST", "/account/language"): "sets the asker's own language",
    ("POST", "/account/tokens"): "creates an API token of the asker's own",
    ("GET", "/classes"): "lists the asker's own classes",
    ("POST", "/classes"): "creates a class of the asker's own",
    ("GET", "/join"): "the form to join a class with its code",
    ("POST", "/join"): "joins a class with its code (tests/accounts/test_classes.py)",
}
# An extra form field that makes a read a change (the matrix sends the request both ways).
WRITE_VARIANTS: dict[tuple[str, str], Callable[[Call], Call]] = {
    ("POST", T + "/test"): lambda c: Call(form={**(c.form or {}), "save": "1"}),
    ("POST", R + "/analyses"): lambda c: c,  # stored by default: a change (store=false: a read)
}


def app_routes(app: FastAPI) -> Iterator[tuple[str, str]]:
    """(method, path) of every route the app answers, the included routers' too."""
    for route in app.routes:
        contexts = getattr(route, "effective_route_contexts", None)
        entries = list(contexts()) if contexts else [route]
        for entry in entries:
            for method in sorted(getattr(entry, "methods", None) or ()):
                if method != "HEAD":
                    yield method, entry.path


def matrix_routes() -> list[tuple[str, str]]:
    return [
        r
        for r in app_routes(create_app())
        if not r[1].startswith(("/static", "/openapi.json")) and r not in NOT_OWNED
    ]


def test_every_route_is_in_the_matrix() -> None:
    """A route with neither a request in the matrix nor a reason to be outside it fails."""
    missing = [r for r in matrix_routes() if r not in REQUESTS]
    assert not missing, f"routes missing from the access matrix (add to REQUESTS): {missing}"
    gone = [r for r in [*REQUESTS, *NOT_OWNED] if r not in set(app_routes(create_app()))]
    assert not gone, f"the matrix names routes the app no longer has: {gone}"


# ---- alice's lab: every kind of resource, in every state a request needs ----------------
def build_lab(client: TestClient, store: Store) -> Ids:
    """Alice's lab, built through the API as she would: the NAT seed plus a resource of each
    kind each request of the matrix needs (a spare to delete, a pending peering…)."""

    def ok(method: str, path: str, json: Any = None, status: int = 200) -> Any:
        response = client.request(method, f"{API}/topologies/{tid}{path}", json=json)
        assert response.status_code == status, (method, path, response.text)
        return response.json() if response.content else None

    made = client.post(f"{API}/topologies", json={"name": "alice", "template": "seed-001-nat"})
    assert made.status_code == 201, made.text
    tid = made.json()["id"]
    for cidr, name in (
        ("10.50.0.0/16", "peer"),
        ("10.60.0.0/16", "vpc3"),
        ("10.70.0.0/16", "vpc4"),
    ):
        ok("POST", "/vpcs", {"CidrBlock": cidr, "Tags": name_tag(name)}, 201)
    ids = names(store, tid)
    ok("POST", "/internet-gateways", {"Tags": name_tag("igw3")}, 201)
    ok("POST", "/internet-gateways", {"Tags": name_tag("igw-spare")}, 201)
    ids = names(store, tid)
    ok("POST", f"/internet-gateways/{ids['igw3']}/attach", {"VpcId": ids["vpc3"]})
    for path, body in (
        ("/vpc-peering-connections", {"VpcId": ids["vpc"], "PeerVpcId": ids["peer_vpc"]}),
        (
            "/dhcp-options",
            {"DhcpConfigurations": [{"Key": "domain-name", "Values": ["a.internal"]}]},
        ),
        (
            "/subnets",
            {"VpcId": ids["vpc"], "CidrBlock": "172.30.5.0/24", "Tags": name_tag("spare")},
        ),
        ("/route-tables", {"VpcId": ids["vpc"], "Tags": name_tag("rt-spare")}),
        (
            "/security-groups",
            {"GroupName": "spare", "Description": "spare", "VpcId": ids["vpc"]},
        ),
        ("/network-acls", {"VpcId": ids["vpc"], "Tags": name_tag("nacl-spare")}),
        ("/addresses", {"Tags": name_tag("eip-spare")}),
        ("/addresses", {"Tags": name_tag("eip2")}),
        (
            "/network-interfaces",
            {
                "SubnetId": ids["public"],
                "SecondaryPrivateIpAddressCount": 1,
                "Tags": name_tag("eni-spare"),
            },
        ),
        ("/network-interfaces", {"SubnetId": ids["public"], "Tags": name_tag("eni2")}),
    ):
        ok("POST", path, body, 201)
    ids = names(store, tid)
    ok("POST", f"/security-groups/{ids['sg_spare']}/authorize-ingress", sg_rule(9000))
    ok("POST", f"/security-groups/{ids['sg_spare']}/authorize-egress", sg_rule(9000))
    ok("POST", f"/network-acls/{ids['nacl_spare']}/entries", NACL_RULE, 201)
    ok("POST", f"/addresses/{ids['eip2']}/associate", {"InstanceId": ids["web"]})
    ok(
        "POST",
        f"/network-interfaces/{ids['eni2']}/attach",
        {"InstanceId": ids["web"], "DeviceIndex": 1},
    )
    ok("POST", f"/instances/{ids['db']}/stop")
    ssh = {
        "source": "203.0.113.5",
        "destination": ids["web"],
        "protocol": "tcp",
        "destination_port": 22,
    }
    ok("POST", "/analyses", ssh, 201)
    with Session(store.engine) as session:  # a guided lab, as if she had started it
        row = session.get(tables.Topology, tid)
        assert row is not None
        row.lab = GUIDED_LAB
        session.add(row)
        session.commit()
    started = client.post(f"{API}/labs/{CHALLENGE}/start", json={"name": "challenge"})
    assert started.status_code == 201, started.text
    return {"base": tid, "ssh": ssh, "challenge": started.json()["id"]}


def names(store: Store, tid: str) -> Ids:
    """The ids of alice's lab's resources by the names the matrix uses."""
    _, model = store.model(tid)

    def named(kind: str, name: str) -> str:
        [found] = [rid for rid, r in model.resources[kind].items() if r.name == name]
        return found

    ids: Ids = {}
    wanted = {
        "vpc": ("vpc", "lab-vpc"),
        "peer_vpc": ("vpc", "peer"),
        "vpc3": ("vpc", "vpc3"),
        "vpc4": ("vpc", "vpc4"),
        "public": ("subnet", "public-subnet"),
        "private": ("subnet", "private-subnet"),
        "spare_subnet": ("subnet", "spare"),
        "igw": ("internet-gateway", "lab-igw"),
        "igw3": ("internet-gateway", "igw3"),
        "igw_spare": ("internet-gateway", "igw-spare"),
        "public_rt": ("route-table", "public-rt"),
        "private_rt": ("route-table", "private-rt"),
        "rt_spare": ("route-table", "rt-spare"),
        "nacl_spare": ("network-acl", "nacl-spare"),
        "web": ("instance", "web-server"),
        "db": ("instance", "db-server"),
        "nat": ("nat-gateway", "lab-nat"),
        "eip_spare": ("address", "eip-spare"),
        "eip2": ("address", "eip2"),
        "eni_spare": ("network-interface", "eni-spare"),
        "eni2": ("network-interface", "eni2"),
    }
    for key, (kind, name) in wanted.items():
        try:
            ids[key] = named(kind, name)
        except ValueError:
            continue  # not built yet
    groups = [rid for rid, g in model.security_groups.items() if g.group_name == "spare"]
    if groups:
        ids["sg_spare"] = groups[0]
    for rid in model.resources["vpc-peering-connection"]:
        ids["pcx"] = rid
    for rid, options in model.resources["dhcp-options"].items():
        if not options.name:
            ids["dopt"] = rid
    public_rt = model.resources["route-table"].get(ids.get("public_rt", ""))
    if public_rt is not None:
        [association] = [a for a in public_rt.associations if not a.main]
        ids["public_association"] = association.association_id
    spare_eni = model.resources["network-interface"].get(ids.get("eni_spare", ""))
    if spare_eni is not None:
        ids["eni_spare_secondary"] = next(
            str(ip.address) for ip in spare_eni.private_ip_addresses if not ip.primary
        )
    return ids


# ---- the matrix ---------------------------------------------------------------------------
def send(
    client: TestClient,
    route: tuple[str, str],
    call: Call,
    ids: Ids,
    headers: dict[str, str] | None = None,
) -> Any:
    method, template = route
    url = template.format(
        **call.path,
        topology_id=ids["topology_id"],
        class_id=ids["classroom_id"],
        student_id=ids["alice_id"],
        token_id=ids["token_id"],
    )
    return client.request(
        method,
        url,
        json=call.json,
        params=call.params,
        data=call.form,
        headers={**({"Accept": "text/html"} if not url.startswith(API) else {}), **(headers or {})},
        follow_redirects=False,
    )


def state(store: Store, people: People, tid: str) -> Any:
    """What alice would notice changed: her lab (revision, name, every resource), its saved
    tests, her list of topologies (or that the lab is gone) and her API tokens."""
    try:
        store.get_topology(tid)
    except AwsError as gone:
        return str(gone)
    return (
        [t.model_dump() for t in Accounts(store.engine).tokens(people.alice.user_id)],
        store.get_topology(tid),
        store.export_bundle(tid),
        [store.get_analysis(tid, a["id"]) for a in store.list_analyses(tid)],
        store.for_actor(people.alice).list_topologies(),
    )


def test_the_access_matrix(classroom: Classroom) -> None:
    problems: list[str] = []
    checked = 0
    store = classroom.store
    people, clients = signed_in_people(classroom)
    lab = build_lab(clients["alice"], store)
    base_ids = names(store, lab["base"])
    given = store.create_assignment(
        people.classroom_id,
        lab_id="seed-002-ssh-from-home",
        title="Week 3",
        variants=True,
        opens_at=datetime(2020, 4, 1, tzinfo=UTC),
        due_at=None,
    )
    teacher_topology = store.for_actor(people.teacher).create_topology(
        name="the instructor's own", template="seed-002-ssh"
    )["id"]
    for route in matrix_routes():
        spec = REQUESTS.get(route)
        if spec is None:
            continue  # test_every_route_is_in_the_matrix says so
        alice = store.for_actor(people.alice)
        source = lab["challenge"] if route[1].endswith("/lab/hint") else lab["base"]
        copy = alice.duplicate_topology(source, name="alice")
        tid = copy["id"]
        # A revision 2, so that revision 1 can be restored.
        alice.change(
            tid,
            lambda t: create_dhcp_options(
                t, dhcp_configurations=[{"Key": "domain-name", "Values": ["r2.internal"]}]
            ),
        )
        analyses = store.list_analyses(tid)
        ids = {
            **base_ids,
            "ssh": lab["ssh"],
            "analysis": analyses[0]["id"] if analyses else None,
            "topology_id": tid,
            "classroom_id": people.classroom_id,
            "alice_id": people.alice.user_id,
            "assignment_id": given["id"],
            "teacher_topology": teacher_topology,
            "token_id": classroom.accounts.create_token(people.alice.user_id, "script")[0].id,
        }
        call = spec(ids)
        variants = [call]
        if route in WRITE_VARIANTS:
            variants.append(WRITE_VARIANTS[route](call))
        for n, variant in enumerate(variants):
            read = variant.read and n == 0
            problems += check_route(clients, store, people, route, variant, ids, read)
            checked += 1
    assert not problems, "\n".join(problems)
    assert checked == len(REQUESTS) + len(WRITE_VARIANTS)


def check_route(
    clients: dict[str, TestClient],
    store: Store,
    people: People,
    route: tuple[str, str],
    call: Call,
    ids: Ids,
    read: bool,
) -> list[str]:
    problems: list[str] = []
    where = f"{route[0]} {route[1]}"
    tid = ids["topology_id"]
    before = state(store, people, tid)
    outsiders = ["bob", "stranger"] if call.owner == "alice" else ["bob", "stranger", "alice"]
    if not call.teacher_reads:
        outsiders.append("teacher")
    for who in outsiders:
        answer = send(clients[who], route, call, ids)
        if answer.status_code != call.not_found:
            problems.append(
                f"{where}: {who} got {answer.status_code}, not {call.not_found}: "
                + answer.text[:200]
            )
            continue
        if "{token_id}" in route[1]:
            unknown = send(clients[who], route, call, {**ids, "token_id": 2**31 - 1})
            if (unknown.status_code, unknown.headers.get("location")) != (
                answer.status_code,
                answer.headers.get("location"),
            ):
                problems.append(f"{where}: {who}'s answer differs from an unknown token's")
        if "{topology_id}" in route[1]:
            unknown = send(clients[who], route, call, {**ids, "topology_id": UNKNOWN})
            if (unknown.status_code, unknown.text.replace(UNKNOWN, tid)) != (404, answer.text):
                problems.append(f"{where}: {who}'s 404 differs from an unknown id's")
            # The same in Japanese: the refusal is said in the reader's language, and says as
            # little about somebody else's lab as about one that never existed.
            said = send(clients[who], route, call, ids, JA)
            unknown = send(clients[who], route, call, {**ids, "topology_id": UNKNOWN}, JA)
            if (unknown.status_code, unknown.text.replace(UNKNOWN, tid)) != (404, said.text):
                problems.append(f"{where}: {who}'s 404 in Japanese differs from an unknown id's")
            if route[1].startswith(API) and f"トポロジー '{tid}' は存在しません" not in said.text:
                problems.append(f"{where}: {who}'s 404 is not in Japanese: {said.text[:200]}")
    if state(store, people, tid) != before:
        problems.append(f"{where}: an outsider's request changed alice's lab")
    if call.owner == "alice" and call.teacher_reads:
        answer = send(clients["teacher"], route, call, ids)
        if read and answer.status_code >= 400:
            problems.append(
                f"{where}: the instructor cannot read ({answer.status_code}): {answer.text[:200]}"
            )
        if not read and (answer.status_code != 403 or "UnauthorizedOperation" not in answer.text):
            problems.append(
                f"{where}: the instructor's change got {answer.status_code}, not 403: "
                + answer.text[:200]
            )
        if state(store, people, tid) != before:
            problems.append(f"{where}: the instructor's request changed alice's lab")
    owner = send(clients[call.owner], route, call, ids)
    if owner.status_code >= 400:
        problems.append(
            f"{where}: the owner's own request failed ({owner.status_code}): {owner.text[:300]}"
        )
    return problems
