"""The import-linter contract for the connectors names what they must not import; these tests keep
it the allowed set written the other way round, so a module the core gains later is forbidden to
the connectors until someone decides it is one of the neutral helpers."""

import pkgutil
import tomllib
from pathlib import Path

import app

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
CONTRACT = "connectors import from the core only its types, protocol and neutral helpers"

# What connectors may import from the core: the version (app itself), the networks' types and
# protocol, the site's Account, and helpers that decide nothing.
ALLOWED = {
    "app.networks",
    "app.site.config",
    "app.i18n",
    "app.dutch_time",
    "app.file_lock",
    "app.shared_sqlite",
}


def forbidden_to_connectors() -> set[str]:
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["name"] == CONTRACT]
    return set(contract["forbidden_modules"])


def core_modules() -> set[str]:
    """The core's modules and rooms, one level down, and one more where a room is split between
    the allowed and the forbidden (app.site)."""
    found = {f"app.{m.name}" for m in pkgutil.iter_modules(app.__path__)}
    found.discard("app.site")
    found |= {
        f"app.site.{m.name}" for m in pkgutil.iter_modules([str(Path(app.__path__[0]) / "site")])
    }
    return found


def test_every_module_of_the_core_is_either_allowed_to_the_connectors_or_forbidden():
    forbidden = forbidden_to_connectors()
    assert core_modules() - ALLOWED - forbidden == set()
    assert ALLOWED & forbidden == set()
    assert forbidden - core_modules() == set()  # no name left behind by a move
