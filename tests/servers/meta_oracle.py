"""Meta's own node descriptions (../shared/oracles/meta-graph-v25/: Page, PagePost, Photo, IGUser,
IGMedia, from facebook-business-sdk-codegen) as the judge of the Facebook and Instagram contract
servers: a request's parameters must be ones the node's edge takes, of the declared type, with the
required ones present; the `fields` asked for and the fields answered must be fields of the node
the edge returns.

What the descriptions do not say, and where it comes from instead (developers.facebook.com):
- Parameters every Graph call takes: `access_token`, `appsecret_proof`, `fields`, `method`,
  `pretty`, `suppress_http_code`, and the paging ones (`limit`, `after`, `before`, `since`,
  `until`) on edges that list.
- The photo itself: the SDK sends it as a multipart file beside the parameters, named `source`
  (Page photos reference); the descriptions list only `url`. A file part is accepted on edges
  that return a Photo or a video, and nowhere else.
- Instagram's media containers (IG Container: `status_code`, `status`, `id`) are not among the
  five nodes: `CONTAINER_FIELDS` below is taken from the IG Container reference.
- Enum types name their enum but not its values, so an enum is checked to be a plain value.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

ORACLE = Path(__file__).resolve().parents[3] / "shared" / "oracles" / "meta-graph-v25"
NODE_TYPES = ("Page", "PagePost", "Photo", "IGUser", "IGMedia")
COMMON_PARAMETERS = frozenset(
    {"access_token", "appsecret_proof", "fields", "method", "pretty", "suppress_http_code"}
)
PAGING_PARAMETERS = frozenset({"limit", "after", "before", "since", "until"})
FILE_EDGE_RETURNS = frozenset({"Photo", "AdVideo"})
CONTAINER_FIELDS = frozenset({"id", "status_code", "status"})
_SCALARS = {"string", "bool", "int", "unsigned int", "float", "datetime", "file", "Object", "map"}
_LIST = re.compile(r"^list(?:<(?P<item>.+)>)?$")


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    required: bool


@dataclass(frozen=True)
class Edge:
    node_type: str
    name: str  # the edge ("feed", "photos"); "#get", "#update" or "#delete" for the node itself
    method: str
    returns: str
    parameters: dict[str, Parameter]


@dataclass(frozen=True)
class Node:
    type: str
    fields: dict[str, str]  # name → declared type
    edges: dict[tuple[str, str], Edge]  # (method, edge name) → edge


@cache
def node(node_type: str) -> Node:
    with (ORACLE / f"{node_type}.json").open(encoding="utf-8") as file:
        described = json.load(file)
    edges: dict[tuple[str, str], Edge] = {}
    for api in described["apis"]:
        name = api.get("endpoint") or api["name"]
        parameters = {
            p["name"]: Parameter(p["name"], p["type"], bool(p.get("required")))
            for p in api.get("params", [])
        }
        edges[(api["method"], name)] = Edge(
            node_type, name, api["method"], api.get("return", "Object"), parameters
        )
    fields = {f["name"]: f["type"] for f in described["fields"]}
    return Node(node_type, fields, edges)


def edge(node_type: str, name: str | None, method: str) -> Edge | None:
    """The edge `name` of the node (None: the node itself, as GET/POST/DELETE on its id)."""
    key = (
        name
        if name is not None
        else {"GET": "#get", "POST": "#update", "DELETE": "#delete"}[method]
    )
    return node(node_type).edges.get((method, key))


def field_names(value: str) -> list[str]:
    """The top-level names of a `fields` parameter ("id,attachments{media},permalink_url")."""
    names, depth, current = [], 0, ""
    for character in value:
        if character == "{" or character == "(":
            depth += 1
        elif character == "}" or character == ")":
            depth -= 1
        elif character == "," and depth == 0:
            names.append(current)
            current = ""
            continue
        if depth == 0 and character not in "})":
            current += character
    names.append(current)
    # "media.limit(5)" asks for the field "media" with a modifier
    return [name.split(".")[0].strip() for name in names if name.strip()]


def check(
    node_type: str,
    edge_name: str | None,
    method: str,
    parameters: dict[str, str],
    files: frozenset[str] = frozenset(),
) -> list[str]:
    """What in a request to `node_type`'s edge the description does not allow: unknown or missing
    parameters, values of the wrong type, fields the returned node lacks, a file where none goes."""
    found = edge(node_type, edge_name, method)
    where = f"{method} {node_type}/{edge_name or ''}".rstrip("/")
    if found is None:
        return [f"{where}: not an edge of {node_type} in Meta's description"]
    problems = []
    listing = method == "GET" and edge_name is not None
    allowed = COMMON_PARAMETERS | (PAGING_PARAMETERS if listing else frozenset())
    for name, value in parameters.items():
        if name in allowed:
            continue
        declared = found.parameters.get(name)
        if declared is None:
            problems.append(f"{where}: parameter {name!r} is not one {node_type} takes here")
        elif (problem := type_problem(declared.type, value)) is not None:
            problems.append(f"{where}: {name}={value[:60]!r}: {problem}")
    for declared in found.parameters.values():
        if declared.required and declared.name not in parameters:
            problems.append(f"{where}: required parameter {declared.name!r} missing")
    if files and found.returns not in FILE_EDGE_RETURNS:
        problems.append(f"{where}: a file was sent, but this edge takes none")
    if "fields" in parameters and method == "GET":
        problems += fields_problems(found.returns, parameters["fields"], where)
    return problems


def fields_problems(returned_type: str, fields: str, where: str) -> list[str]:
    known = node_fields(returned_type)
    if known is None:
        return []
    return [
        f"{where}: field {name!r} is not a field of {returned_type}"
        for name in field_names(fields)
        if name not in known
    ]


def node_fields(node_type: str) -> frozenset[str] | None:
    """The fields of a described node; None for a type outside the five (nothing to check)."""
    if node_type == "IGContainer":
        return CONTAINER_FIELDS
    if node_type not in NODE_TYPES:
        return None
    return frozenset(node(node_type).fields)


def check_answer(node_type: str, answer: dict) -> list[str]:
    """The fields of a node read back (or of each item of a list's `data`) must be the node's."""
    known = node_fields(node_type)
    if known is None:
        return []
    items = answer.get("data", [answer]) if isinstance(answer.get("data"), list) else [answer]
    return [
        f"answer: {name!r} is not a field of {node_type}"
        for item in items
        for name in item
        if name not in known
    ]


def type_problem(declared: str, value: str) -> str | None:
    """Why `value` (as it arrives in a query or form) is not of the declared type, or None."""
    listed = _LIST.match(declared)
    if listed:
        try:
            items = json.loads(value)
        except ValueError:
            # Graph also takes a comma-separated list of plain values
            items = value.split(",")
        if not isinstance(items, list):
            return f"expected a list ({declared})"
        item_type = listed.group("item")
        for item in items:
            if item_type is None:
                continue
            text = item if isinstance(item, str) else json.dumps(item)
            if (problem := type_problem(item_type, text)) is not None:
                return f"list item: {problem}"
        return None
    if declared == "bool":
        return None if value in ("true", "false", "1", "0") else "expected true or false"
    if declared == "unsigned int":
        return None if value.isdigit() else "expected a whole number ≥ 0"
    if declared == "int":
        return None if re.fullmatch(r"-?\d+", value) else "expected a whole number"
    if declared == "float":
        try:
            float(value)
        except ValueError:
            return "expected a number"
        return None
    if declared == "datetime":
        if value.isdigit():
            return None
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return "expected a Unix time or an ISO 8601 moment"
        return None
    if declared in ("Object", "map"):
        try:
            parsed = json.loads(value)
        except ValueError:
            return "expected a JSON object"
        return None if isinstance(parsed, dict) else "expected a JSON object"
    if declared in ("string", "file") or declared not in _SCALARS:
        # enum types name their enum but not its values: a plain value, not a structure
        if declared not in _SCALARS and value[:1] in "[{":
            return f"expected one value of {declared}"
        return None
    return None
