"""The HTML pages and htmx fragments. Real forms and links first; htmx swaps blocks on top.

No JSON-API logic here: the same store and engine operations as /api/v1. Every handler is a
plain ``def``: FastAPI runs it in its thread pool, so a slow change or a large import never
stalls the event loop (and with it every other request). The form is read before, by the
``FormValues`` dependency, which is the only part that awaits.
"""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from app.api.deps import store_for
from app.db.store import Store
from app.engine import AwsError
from app.engine.instance_view import instance_view
from app.engine.matrix import matrix_instances
from app.engine.regions import AVAILABILITY_ZONES, DEFAULT_REGION
from app.engine.templates import TEMPLATES
from app.i18n import gettext as _
from app.throttle import TooManyRequests, requester
from app.whole_network import MAX_MATRIX_PORTS, exposure_job, matrix_job

from . import step_through
from .actions import ACTIONS, CREATE_FORMS, ERROR_FIELDS, FieldError, done_notice
from .diagram import trace_marks
from .history_words import done_notice as lab_life_notice
from .language import N_
from .render import is_htmx, render
from .workspace import (
    ACTION_WORDS,
    COMPONENT_LABELS,
    DIRECTION_WORDS,
    TEST_PRESETS,
    TestForm,
    diagram_html,
    endpoint_label,
    translated,
    workspace_context,
)

router = APIRouter(include_in_schema=False)


async def get_store(request: Request) -> Store:
    """The store as the signed-in user sees it (``app.api.deps.store_for``)."""
    return store_for(request)


StoreDep = Annotated[Store, Depends(get_store)]


def form_dict(form: FormData) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key in form:
        values = [v for v in form.getlist(key) if isinstance(v, str)]
        data[key] = (
            values
            if len(values) > 1 or key in ("Groups", "SecurityGroupIds")
            else (values[0] if values else "")
        )
    return data


async def form_values(request: Request) -> dict[str, Any]:
    """The posted form, read on the event loop (reading awaits the body)."""
    return form_dict(await request.form())


FormValues = Annotated[dict[str, Any], Depends(form_values)]


# The fields that name the resource an action is about, most specific first.
SUBJECT_FIELDS = (
    "ResourceId",
    "InstanceId",
    "NetworkInterfaceId",
    "AllocationId",
    "GroupId",
    "NetworkAclId",
    "RouteTableId",
    "InternetGatewayId",
    "VpcPeeringConnectionId",
    "SubnetId",
    "VpcId",
)


def subject_of(values: dict[str, Any]) -> str:
    """The resource a refused form was about, so its editor (and the error) is shown."""
    for name in SUBJECT_FIELDS:
        value = values.get(name)
        if isinstance(value, str) and value:
            return value
    return ""


def see_other(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


# Refusals about the topology itself, not about what a form says: answered as an error page
# (404 for an unknown or somebody else's topology, 403 for a lab one may only read), never as
# the form again with the error beside a field.
NOT_A_FORM_ERROR = frozenset({"InvalidTopologyID.NotFound", "UnauthorizedOperation"})


# ---- topologies -----------------------------------------------------------------------------
def topologies_page(
    request: Request,
    store: Store,
    *,
    error: AwsError | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "topologies.html",
        {
            "topologies": store.list_topologies(),
            # A student's assignments, each to start or open (app/web/assignments.py).
            "assignments": store.my_assignments(),
            "regions": sorted(AVAILABILITY_ZONES),
            "default_region": DEFAULT_REGION,
            "templates": TEMPLATES,
            "error": error,
            "values": values or {},
        },
        block="content",
        status_code=status,
    )


@router.get("/", response_class=HTMLResponse)
def home(request: Request, store: StoreDep) -> HTMLResponse:
    return topologies_page(request, store)


@router.post("/topologies")
def create_topology(request: Request, store: StoreDep, values: FormValues) -> Response:
    try:
        topology = store.create_topology(
            name=str(values.get("name", "")),
            region=str(values.get("region") or DEFAULT_REGION),
            template=str(values.get("template") or "blank"),
        )
    except AwsError as error:
        return topologies_page(request, store, error=error, values=values, status=400)
    return see_other(f"/topologies/{topology['id']}")


@router.post("/topologies/import")
def import_topology(
    request: Request,
    store: StoreDep,
    bundle: Annotated[UploadFile, File()],
    name: Annotated[str, Form()] = "",
    region: Annotated[str, Form()] = DEFAULT_REGION,
) -> Response:
    values = {"import_name": name, "import_region": region}
    raw = bundle.file.read()
    try:
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise AwsError(
                "MalformedJSON",
                _(
                    "%(file)s is not a JSON bundle: merge the describe-* outputs, "
                    "e.g. with jq -s add."
                )
                % {"file": bundle.filename or _("The file")},
            ) from None
        topology = store.create_topology(
            name=name or bundle.filename or "Imported account", region=region
        )
        try:
            store.import_bundle(topology["id"], data)
        except AwsError:
            store.delete_topology(topology["id"])
            raise
    except AwsError as error:
        return topologies_page(request, store, error=error, values=values, status=400)
    return see_other(f"/topologies/{topology['id']}")


@router.post("/topologies/{topology_id}/rename")
def rename_topology(
    topology_id: str, request: Request, store: StoreDep, values: FormValues
) -> Response:
    try:
        store.rename_topology(topology_id, str(values.get("name", "")))
    except AwsError as error:
        if error.code in NOT_A_FORM_ERROR:
            raise
        return topologies_page(request, store, error=error, values=values, status=400)
    return see_other("/")


@router.get("/topologies/{topology_id}/delete", response_class=HTMLResponse)
def confirm_delete(topology_id: str, request: Request, store: StoreDep) -> HTMLResponse:
    store.check_writable(topology_id)
    topology = store.get_topology(topology_id)
    return render(
        request,
        "confirm_delete.html",
        {"topology": topology, "resources": store.count_resources(topology_id)},
    )


@router.post("/topologies/{topology_id}/delete")
def delete_topology(topology_id: str, store: StoreDep) -> Response:
    store.delete_topology(topology_id)
    return see_other("/")


@router.get("/topologies/{topology_id}/export.json")
def export_topology(topology_id: str, store: StoreDep) -> Response:
    topology = store.get_topology(topology_id)
    body = json.dumps(store.export_bundle(topology_id), indent=1)
    filename = "".join(c if c.isalnum() or c in "-_" else "-" for c in topology["name"])
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename or "topology"}.json"'},
    )


# ---- the workspace --------------------------------------------------------------------------
def workspace(
    request: Request, store: Store, topology_id: str, *, status: int = 200, **state: Any
) -> HTMLResponse:
    context = workspace_context(store, topology_id, **state)
    # Selecting something only changes the inspector: htmx then asks for that block alone.
    block = "editor" if request.headers.get("HX-Target") == "editor" else "workspace"
    response = render(request, "workspace.html", context, block=block, status_code=status)
    if is_htmx(request):
        response.headers["HX-Push-Url"] = context["url"]
    return response


@router.get("/topologies/{topology_id}", response_class=HTMLResponse)
def show_workspace(
    topology_id: str,
    request: Request,
    store: StoreDep,
    select: str = "",
    create: str = "",
    test: int = 0,
    done: str = "",
) -> HTMLResponse:
    return workspace(
        request,
        store,
        topology_id,
        select=select,
        create=create,
        saved_test=test or None,
        notice=lab_life_notice(store, topology_id, done) if done else None,
    )


@router.post("/topologies/{topology_id}/do/{action}")
def do_action(
    topology_id: str, action: str, request: Request, store: StoreDep, values: FormValues
) -> Response:
    handler = ACTIONS.get(action)
    try:
        if handler is None:
            raise AwsError(
                "InvalidAction", _("The lab has no action '%(action)s'.") % {"action": action}
            )
        selected, _revision = store.change(topology_id, lambda t: handler(t, values), what=action)
    except AwsError as error:
        if error.code in NOT_A_FORM_ERROR:
            raise
        field = error.field if isinstance(error, FieldError) else ERROR_FIELDS.get(error.code)
        return workspace(
            request,
            store,
            topology_id,
            status=400,
            select=str(values.get("_select") or subject_of(values)),
            create=str(values.get("_create") or CREATE_FORMS.get(action, "")),
            failed={"action": action, "values": values, "error": error, "field": field},
        )
    if is_htmx(request):
        return workspace(
            request,
            store,
            topology_id,
            select=selected,
            notice=done_notice(action),
        )
    query = urlencode({"select": selected}) if selected else ""
    return see_other(f"/topologies/{topology_id}" + (f"?{query}" if query else ""))


@router.post("/topologies/{topology_id}/test")
def test_connection(
    topology_id: str, request: Request, store: StoreDep, values: FormValues
) -> Response:
    test = TestForm.from_form(values)
    if values.get("save"):
        store.check_writable(topology_id)
    return workspace(
        request,
        store,
        topology_id,
        select=str(values.get("_select", "")),
        test=test,
        save=bool(values.get("save")),
    )


@router.post("/topologies/{topology_id}/tests/rerun")
def rerun_tests(topology_id: str, request: Request, store: StoreDep) -> Response:
    reruns = [store.rerun_analysis(topology_id, a["id"]) for a in store.list_analyses(topology_id)]
    return workspace(request, store, topology_id, reruns=reruns)


# ---- whole-network analyses ----------------------------------------------------------------
def busy(response: HTMLResponse, error: AwsError | None) -> HTMLResponse:
    """``response`` as a 429 with Retry-After when the job queue refused the job (its message
    is on the page; htmx swaps 4xx answers in, so a poll shows it too)."""
    if isinstance(error, TooManyRequests):
        response.status_code = 429
        response.headers["Retry-After"] = str(error.retry_after)
    return response


# The exposure page shows this many interfaces at a time, and this many port ranges of each:
# an account whose groups open a thousand single ports has millions of rows (the API has all).
EXPOSURE_PAGE = 50
EXPOSURE_ROWS = 100


@router.get("/topologies/{topology_id}/exposure", response_class=HTMLResponse)
def show_exposure(
    topology_id: str, request: Request, store: StoreDep, page: int = 1
) -> HTMLResponse:
    """The exposure report; computed in the background with progress, cached per revision."""
    job, error = None, None
    for _attempt in range(2):  # again if the topology changed as the job was starting
        topology, model = store.model(topology_id)
        try:
            job = exposure_job(
                request.app.state.jobs,
                topology,
                model,
                user=store.user_id,
                owner=requester(request),
            )
        except TooManyRequests as refused:  # the queue is full: the page says so
            error = refused
        if job is None or job.status != "cancelled":
            break
    names = {r.instance_id: r.name for r in model.instances.values() if r.name}
    names |= {r.network_interface_id: r.name for r in model.network_interfaces.values() if r.name}
    response = render(
        request,
        "exposure.html",
        {
            "topology": topology,
            "job": job,
            "error": error,
            "names": names,
            "page": max(page, 1),
            "per_page": EXPOSURE_PAGE,
            "rows_per_interface": EXPOSURE_ROWS,
        },
        block="report",
    )
    return busy(response, error)


# Up to this many instances the page draws the whole grid; above, one source's row at a time
# (and only that row is computed: the whole matrix of tier L is 20 million pairs).
GRID_LIMIT = 60


def parse_ports(text: str) -> list[int]:
    """``"22, 80,443"`` → ``[22, 80, 443]``: one port or several, each 0-65535."""
    words = [w for w in text.replace(",", " ").split() if w]
    if not words:
        raise AwsError("MissingParameter", _("Give a port, or several separated by commas."))
    if len(words) > MAX_MATRIX_PORTS:
        raise AwsError(
            "InvalidParameterValue",
            _("At most %(most)d ports at once (%(given)d given).")
            % {"most": MAX_MATRIX_PORTS, "given": len(words)},
        )
    ports = []
    for word in words:
        if not word.isdigit() or int(word) > 65535:
            raise AwsError(
                "InvalidParameterValue",
                _("'%(word)s' is not a port: a whole number from 0 to 65535.") % {"word": word},
            )
        ports.append(int(word))
    return list(dict.fromkeys(ports))


@router.get("/topologies/{topology_id}/matrix", response_class=HTMLResponse)
def show_matrix(
    topology_id: str,
    request: Request,
    store: StoreDep,
    preset: str = "ssh",
    port: str = "",
    source: str = "",
) -> HTMLResponse:
    """Instances × instances for a protocol and one port or several, in the background with
    progress."""
    test = TestForm(preset=preset if preset in TEST_PRESETS else "ssh", port=port[:200])
    protocol, fixed, _label = TEST_PRESETS[test.preset]
    job, error = None, None
    for _attempt in range(2):  # again if the topology changed as the job was starting
        topology, model = store.model(topology_id)
        instances = matrix_instances(model)
        per_source = len(instances) > GRID_LIMIT
        try:
            ports = (
                ()
                if protocol == "icmp"
                else (fixed,)
                if fixed is not None
                else tuple(parse_ports(test.port))
            )
            owner = requester(request)
            jobs = request.app.state.jobs
            if not per_source:
                job = matrix_job(
                    jobs, topology, model, protocol, ports, user=store.user_id, owner=owner
                )
            elif source:
                job = matrix_job(
                    jobs,
                    topology,
                    model,
                    protocol,
                    ports,
                    [source],
                    user=store.user_id,
                    owner=owner,
                )
        except AwsError as refused:
            error = refused
        if job is None or job.status != "cancelled":
            break
    names = {i.instance_id: i.name or i.instance_id for i in model.instances.values()}
    response = render(
        request,
        "matrix.html",
        {
            "topology": topology,
            "job": job,
            "error": error,
            "test": test,
            "presets": TEST_PRESETS,
            "protocol": protocol,
            "instances": instances,
            "per_source": per_source,
            "names": names,
            "source": source,
            "query": urlencode({"preset": test.preset, "port": test.port, "source": source}),
        },
        block="grid",
    )
    return busy(response, error)


@router.get("/topologies/{topology_id}/trace", response_class=HTMLResponse)
def show_trace(
    topology_id: str,
    request: Request,
    store: StoreDep,
    source: str,
    destination: str,
    preset: str = "ssh",
    port: str = "",
) -> HTMLResponse:
    """The workspace with one test run: where a matrix cell leads."""
    return workspace(
        request,
        store,
        topology_id,
        select=source,
        test=TestForm(source=source, destination=destination, preset=preset, port=port),
    )


# ---- instance view --------------------------------------------------------------------------
@router.get("/topologies/{topology_id}/instances/{instance_id}", response_class=HTMLResponse)
def show_instance(
    topology_id: str, instance_id: str, request: Request, store: StoreDep
) -> HTMLResponse:
    topology, model = store.model(topology_id)
    view = instance_view(model, instance_id)
    instance = model.instances[instance_id]
    return render(
        request, "instance.html", {"topology": topology, "view": view, "instance": instance}
    )


# ---- step through a trace ------------------------------------------------------------------
def step_page(
    request: Request,
    store: Store,
    topology_id: str,
    result: dict[str, Any],
    number: int,
    base: str,
    query: str = "",
) -> HTMLResponse:
    """One step of a trace: the player, the event list, the step's panel and the diagram with
    the step's component marked. ``base`` + ``/step/{n}`` + ``query`` is each step's address."""
    topology, model = store.model(topology_id)
    steps = step_through.timeline(result)
    if not steps:
        raise AwsError("InvalidParameterValue", _("This test has no hops to step through."))
    if not 1 <= number <= len(steps):
        raise AwsError(
            "InvalidParameterValue",
            _("There is no step %(number)d: this trace has steps 1 to %(last)d.")
            % {"number": number, "last": len(steps)},
        )
    step = steps[number - 1]
    highlight = {
        "forward": trace_marks(result, "forward_path"),
        "return": trace_marks(result, "return_path"),
    }
    svg = step_through.mark_current(diagram_html(topology, model, highlight), model, step.hop)
    return render(
        request,
        "step.html",
        {
            "topology": topology,
            "model": model,
            "result": result,
            "steps": steps,
            "step": step,
            "rules": step_through.rules_of(model, step.hop),
            "headers": step_through.header_rows(step.hop),
            "diagram": svg,
            "link": lambda n: f"{base}/step/{n}{query}",
            "component_labels": translated(COMPONENT_LABELS),
            "action_words": translated(ACTION_WORDS),
            "direction_words": translated(DIRECTION_WORDS),
            "endpoint": lambda value: endpoint_label(model, str(value)),
            "header_words": translated(HEADER_WORDS),
            "rule_titles": translated(RULE_TITLES),
        },
    )


@router.get(
    "/topologies/{topology_id}/analyses/{analysis_id}/step/{number}", response_class=HTMLResponse
)
def show_saved_step(
    topology_id: str, analysis_id: int, number: int, request: Request, store: StoreDep
) -> HTMLResponse:
    """A step of a saved test, as it was saved."""
    result = store.get_analysis(topology_id, analysis_id)
    base = f"/topologies/{topology_id}/analyses/{analysis_id}"
    return step_page(request, store, topology_id, result, number, base)


@router.get("/topologies/{topology_id}/step/{number}", response_class=HTMLResponse)
def show_test_step(
    topology_id: str,
    number: int,
    request: Request,
    store: StoreDep,
    source: str = "internet",
    destination: str = "",
    preset: str = "ssh",
    port: str = "",
    source_ip: str = "",
    destination_ip: str = "",
) -> HTMLResponse:
    """A step of a test that was not saved: the test is in the address, run again (on the lab
    as it is now) at every step."""
    test = TestForm.from_form(
        {
            "source": source,
            "destination": destination,
            "preset": preset,
            "port": port,
            "source_ip": source_ip,
            "destination_ip": destination_ip,
        }
    )
    result = store.run_analysis(topology_id, test.request(), keep=False)
    query = "?" + urlencode({k: v for k, v in vars(test).items() if v})
    return step_page(
        request, store, topology_id, result, number, f"/topologies/{topology_id}", query
    )


HEADER_WORDS = {
    "source_ip": N_("Source address"),
    "source_port": N_("Source port"),
    "destination_ip": N_("Destination address"),
    "destination_port": N_("Destination port"),
    "protocol": N_("Protocol"),
    "icmp_type": N_("ICMP type"),
    "icmp_code": N_("ICMP code"),
}
RULE_TITLES = {
    "routes": N_("Routes of %(owner)s"),
    "nacl-ingress": N_("Inbound entries of %(owner)s, in order"),
    "nacl-egress": N_("Outbound entries of %(owner)s, in order"),
    "sg-ingress": N_("Inbound rules of %(owner)s"),
    "sg-egress": N_("Outbound rules of %(owner)s"),
}
