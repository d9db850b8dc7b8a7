"""Data files of Postwijs: site configurations, article texts, lexicons, translations."""

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parent


def resource_path(*parts: str) -> Path:
    """Path of a bundled resource, the same from source, installed or frozen."""
    return RESOURCES_DIR.joinpath(*parts)
