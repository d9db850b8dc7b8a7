"""The providers' own API descriptions in ../shared/oracles/ as validators for the contract servers.

- X: the OpenAPI 3.0 document checked with openapi-core, every request and every answer. The
  document's known quirks (../shared/oracles/README.md) are handled here, on a copy, and nowhere
  else: repeated enum values are de-duplicated; the multipart form fields the document types as
  integers (the `segment_index` of the chunked upload's append) are converted before checking;
  the problem types X documents but the `Problem` schema lacks (`usage-capped`,
  `rate-limit-exceeded`, `client-forbidden`, `duplicate-rules`, and RFC 7807's `about:blank`)
  are added to it;
  `application/problem+json` is read as JSON. The document's security schemes are OAuth 2.0, which
  openapi-core does not check: the server checks the Bearer token itself, against the scopes the
  document names per operation (`x_scopes`).
- YouTube: the discovery document's `schemas` converted to JSON Schema and checked with
  jsonschema; a method's query parameters checked against its `parameters` (unknown, missing,
  wrong type, not in the enum). Google refuses unknown names in a JSON body ("Invalid JSON payload
  received. Unknown name"), so converted objects allow no other properties.

Loading a document takes a few seconds; each is loaded once per test run.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from functools import cache
from pathlib import Path

import jsonschema
from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from tests.servers.contract import LoggedRequest

ORACLES = Path(__file__).resolve().parents[3] / "shared" / "oracles"
X_DOCUMENT = ORACLES / "x-openapi-2.167.json"
YOUTUBE_DOCUMENT = ORACLES / "youtube.v3-20261104.json"
X_HOST = "https://api.x.com"
X_PROBLEMS = "https://api.x.com/2/problems/"
# Documented at docs.x.com (response codes and errors), missing from the document's `Problem`;
# so is RFC 7807's default `about:blank`, in which X answers 401, 403 and 429.
UNLISTED_PROBLEM_TYPES = (
    "usage-capped",
    "rate-limit-exceeded",
    "client-forbidden",
    "duplicate-rules",
)


def _read(path: Path) -> dict:
    with path.open(encoding="utf-8") as file:
        return json.load(file)


# --- X ----------------------------------------------------------------------------------------


def _deduplicate_enums(node: object) -> None:
    if isinstance(node, dict):
        if isinstance(node.get("enum"), list):
            unique: list = []
            for value in node["enum"]:
                if value not in unique:
                    unique.append(value)
            node["enum"] = unique
        for value in node.values():
            _deduplicate_enums(value)
    elif isinstance(node, list):
        for value in node:
            _deduplicate_enums(value)


def _add_unlisted_problems(document: dict) -> None:
    schemas = document["components"]["schemas"]
    problem = schemas["Problem"]
    for kind in (*(X_PROBLEMS + k for k in UNLISTED_PROBLEM_TYPES), "about:blank"):
        name = "".join(w.title() for w in re.split(r"[-:]", kind.rsplit("/", 1)[-1])) + "Problem"
        schemas[name] = {
            "type": "object",
            "required": ["type", "title"],
            "properties": {
                "type": {"type": "string", "enum": [kind]},
                "title": {"type": "string"},
                "detail": {"type": "string"},
                "status": {"type": "integer"},
            },
        }
        problem["oneOf"].append({"$ref": f"#/components/schemas/{name}"})
        problem["discriminator"]["mapping"][kind] = f"#/components/schemas/{name}"


def _resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _multipart_typed_fields(document: dict) -> dict[str, str]:
    """Form fields that multipart bodies carry as text but the document types otherwise."""
    typed: dict[str, str] = {}
    for item in document["paths"].values():
        for operation in item.values():
            content = (operation.get("requestBody") or {}).get("content", {})
            if "multipart/form-data" not in content:
                continue
            schema = _resolve(document, content["multipart/form-data"]["schema"])
            for name, prop in schema.get("properties", {}).items():
                if prop.get("type") in ("integer", "boolean", "number"):
                    typed[name] = prop["type"]
    return typed


def _form_value(text: str, kind: str | None) -> object:
    try:
        if kind == "integer":
            return int(text)
        if kind == "number":
            return float(text)
    except ValueError:
        return text  # left as it came, so the check names it
    if kind == "boolean" and text in ("true", "false"):
        return text == "true"
    return text


@dataclass(frozen=True)
class _XDocument:
    openapi: OpenAPI
    scopes: dict[tuple[str, str], frozenset[str]]  # (METHOD, path template) -> OAuth 2.0 scopes
    templates: tuple[tuple[re.Pattern[str], str], ...]


@cache
def _x_document() -> _XDocument:
    document = _read(X_DOCUMENT)
    _deduplicate_enums(document)
    _add_unlisted_problems(document)
    scopes: dict[tuple[str, str], frozenset[str]] = {}
    for template, item in document["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for requirement in operation.pop("security", []):
                if "OAuth2UserToken" in requirement:
                    scopes[(method.upper(), template)] = frozenset(requirement["OAuth2UserToken"])
    typed = _multipart_typed_fields(document)

    def multipart(body: bytes, **parameters: str) -> dict:
        header = f'Content-Type: multipart/form-data; boundary="{parameters.get("boundary", "")}"'
        message = BytesParser(policy=HTTP).parsebytes(header.encode() + b"\r\n\r\n" + body)
        form: dict[str, object] = {}
        for part in message.iter_parts():
            name = str(part.get_param("name", header="content-disposition"))
            payload = part.get_payload(decode=True) or b""
            if part.get_filename() is not None or name not in typed:
                form[name] = payload if part.get_filename() is not None else payload.decode()
            else:
                form[name] = _form_value(payload.decode(), typed[name])
        return form

    config = Config(
        extra_media_type_deserializers={
            "application/problem+json": json.loads,
            "multipart/form-data": multipart,
        }
    )
    templates = tuple(
        (re.compile(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(t))), t)
        for t in sorted(document["paths"], key=lambda t: (t.count("{"), t))
    )
    return _XDocument(OpenAPI.from_dict(document, config=config), scopes, templates)


def _problem_text(error: Exception) -> str:
    causes = []
    cause: BaseException | None = error
    while cause is not None:
        details = getattr(cause, "schema_errors", None)
        if details:
            causes += [detail.message for detail in details]
        cause = cause.__cause__
    name = getattr(error, "name", None)
    where = f" {name!r}" if name else ""
    return f"{type(error).__name__}{where}" + (f": {'; '.join(causes)}" if causes else "")


class XOpenAPIValidator:
    """Every request and every answer of the X server against the X API's own document."""

    def __init__(self) -> None:
        self.document = _x_document()

    def template(self, path: str) -> str | None:
        for pattern, template in self.document.templates:
            if pattern.fullmatch(path):
                return template
        return None

    def scopes(self, method: str, path: str) -> frozenset[str] | None:
        template = self.template(path)
        return None if template is None else self.document.scopes.get((method, template))

    @staticmethod
    def _request(entry: LoggedRequest) -> WerkzeugOpenAPIRequest:
        query = [(name, value) for name, values in entry.query.items() for value in values]
        environ = EnvironBuilder(
            method=entry.method,
            path=entry.path,
            base_url=X_HOST,
            query_string=query,
            headers={k: v for k, v in entry.headers.items() if k != "host"},
            data=entry.body,
        ).get_environ()
        return WerkzeugOpenAPIRequest(Request(environ))

    def __call__(self, entry: LoggedRequest) -> list[str]:
        result = self.document.openapi.unmarshal_request(self._request(entry))
        return [f"not as the X API document allows: {_problem_text(e)}" for e in result.errors]

    def answer(
        self, entry: LoggedRequest, status: int, payload: object, headers: dict
    ) -> list[str]:
        content_type = headers.get("Content-Type", "application/json")
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        response = WerkzeugOpenAPIResponse(Response(data, status=status, content_type=content_type))
        result = self.document.openapi.unmarshal_response(self._request(entry), response)
        return [
            f"answer {status} not as the X API document has it: {_problem_text(e)}"
            for e in result.errors
        ]


# --- YouTube ----------------------------------------------------------------------------------


def _json_schema(node: dict) -> dict:
    """One discovery-document schema as JSON Schema (draft 2020-12)."""
    if "$ref" in node:
        return {"$ref": f"#/$defs/{node['$ref']}"}
    schema: dict = {}
    kind = node.get("type")
    if kind and kind != "any":
        schema["type"] = kind
    if "enum" in node:
        schema["enum"] = node["enum"]
    if "items" in node:
        schema["items"] = _json_schema(node["items"])
    if "properties" in node:
        schema["properties"] = {k: _json_schema(v) for k, v in node["properties"].items()}
    if "additionalProperties" in node:
        schema["additionalProperties"] = _json_schema(node["additionalProperties"])
    elif kind == "object" or "properties" in node:
        schema["additionalProperties"] = False
    return schema


@dataclass(frozen=True)
class YouTubeMethod:
    name: str  # "videos.insert"
    http_method: str
    parameters: dict[str, dict]
    request: str | None  # schema name of the body
    response: str | None
    scopes: frozenset[str]
    media_paths: tuple[str, ...]  # the upload paths, for a method that takes media


@dataclass(frozen=True)
class _YouTubeDocument:
    root: dict
    definitions: dict
    methods: dict[tuple[str, str], YouTubeMethod]  # (HTTP method, path) -> method


@cache
def _youtube_document() -> _YouTubeDocument:
    root = _read(YOUTUBE_DOCUMENT)
    definitions = {name: _json_schema(schema) for name, schema in root["schemas"].items()}
    methods: dict[tuple[str, str], YouTubeMethod] = {}

    def walk(resources: dict, prefix: str) -> None:
        for resource_name, resource in resources.items():
            for method_name, method in resource.get("methods", {}).items():
                upload = method.get("mediaUpload", {}).get("protocols", {})
                found = YouTubeMethod(
                    f"{prefix}{resource_name}.{method_name}",
                    method["httpMethod"],
                    method.get("parameters", {}),
                    (method.get("request") or {}).get("$ref"),
                    (method.get("response") or {}).get("$ref"),
                    frozenset(method.get("scopes", [])),
                    tuple(p["path"] for p in upload.values()),
                )
                for path in ("/" + root["servicePath"] + method["path"], *found.media_paths):
                    methods[(found.http_method, path)] = found
            walk(resource.get("resources", {}), f"{prefix}{resource_name}.")

    walk(root["resources"], "")
    return _YouTubeDocument(root, definitions, methods)


class YouTubeDiscoveryValidator:
    """Query parameters and JSON bodies of the YouTube server against the discovery document."""

    def __init__(self) -> None:
        self.document = _youtube_document()

    def method(self, http_method: str, path: str) -> YouTubeMethod | None:
        return self.document.methods.get((http_method, path))

    def check(self, schema_name: str, value: object) -> list[str]:
        schema = {"$ref": f"#/$defs/{schema_name}", "$defs": self.document.definitions}
        validator = jsonschema.Draft202012Validator(schema)
        return [
            f"{schema_name} at {'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
            for e in sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
        ]

    def parameters(self, method: YouTubeMethod, query: dict[str, list[str]]) -> list[str]:
        problems = []
        known = {**self.document.root["parameters"], **method.parameters}
        for name, spec in known.items():
            if spec.get("required") and name not in query:
                problems.append(f"{method.name}: required parameter {name!r} is missing")
        for name, values in query.items():
            spec = known.get(name)
            if spec is None:
                problems.append(f"{method.name}: unknown parameter {name!r}")
                continue
            if len(values) > 1 and not spec.get("repeated"):
                problems.append(f"{method.name}: parameter {name!r} given more than once")
            for value in values:
                if spec.get("type") == "boolean" and value not in ("true", "false"):
                    problems.append(f"{method.name}: {name}={value!r} is not true or false")
                if spec.get("type") == "integer" and not re.fullmatch(r"-?[0-9]+", value):
                    problems.append(f"{method.name}: {name}={value!r} is not an integer")
                elif spec.get("type") == "integer":
                    low, high = spec.get("minimum"), spec.get("maximum")
                    if (low and int(value) < int(low)) or (high and int(value) > int(high)):
                        problems.append(f"{method.name}: {name}={value} outside {low}..{high}")
                if "enum" in spec and value not in spec["enum"]:
                    problems.append(f"{method.name}: {name}={value!r} is not one of {spec['enum']}")
        return problems

    def request(self, method: YouTubeMethod, body: object) -> list[str]:
        if method.request is None:
            return ["a body where the method takes none"] if body else []
        return self.check(method.request, body)

    def answer(self, method: YouTubeMethod, status: int, payload: object) -> list[str]:
        if status >= 300 or method.response is None or payload is None:
            return []
        return [f"answer {status}: {p}" for p in self.check(method.response, payload)]

    def error(self, payload: object) -> list[str]:
        """Google's error shape: {"error": {"code", "message", "errors": [{"reason", "domain"}]}}."""
        schema = {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["code", "message", "errors"],
                    "properties": {
                        "code": {"type": "integer"},
                        "message": {"type": "string"},
                        "status": {"type": "string"},
                        "errors": {
                            "type": "array",
                            "minItems": 1,
                            "items": {
                                "type": "object",
                                "required": ["reason", "domain", "message"],
                                "properties": {
                                    "reason": {"type": "string"},
                                    "domain": {"type": "string"},
                                    "message": {"type": "string"},
                                    "location": {"type": "string"},
                                    "locationType": {"type": "string"},
                                },
                            },
                        },
                    },
                }
            },
        }
        return [
            f"error shape: {e.message}"
            for e in jsonschema.Draft202012Validator(schema).iter_errors(payload)
        ]


def copy_of_youtube_document() -> dict:
    """The discovery document as Google's client reads it (a copy the test may point elsewhere)."""
    return copy.deepcopy(_youtube_document().root)
