"""The version the packages carry, read from pyproject.toml, and Windows' version resource.

The resource is written in the text format PyInstaller documents for `EXE(version=...)` (the one
`pyi-grab_version` prints); Explorer shows it under Properties → Details, and software inventory
tools read the product name, company and version from it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
COMPANY = "SCOH"
PRODUCT = "Postwijs"
DESCRIPTION = "Postwijs: berichten voor sociale media volgens de gedragsregels"


def _four_numbers(version: str) -> tuple[int, int, int, int]:
    numbers = [int(part) for part in version.split(".")[:4] if part.isdigit()]
    return (*numbers, 0, 0, 0, 0)[:4]  # type: ignore[return-value]


def windows_version_text(version: str = VERSION) -> str:
    numbers = _four_numbers(version)
    strings = {
        "CompanyName": COMPANY,
        "FileDescription": DESCRIPTION,
        "FileVersion": version,
        "InternalName": PRODUCT,
        "LegalCopyright": f"© {COMPANY}",
        "OriginalFilename": "postwijs.exe",
        "ProductName": PRODUCT,
        "ProductVersion": version,
    }
    entries = ",\n".join(f"          StringStruct({k!r}, {v!r})" for k, v in strings.items())
    # 0x0413 is Dutch (Netherlands), 1200 the Unicode code page.
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers},
    prodvers={numbers},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable('041304B0', [
{entries}
      ])
    ]),
    VarFileInfo([VarStruct('Translation', [0x0413, 1200])])
  ]
)
"""


def windows_version_info(folder: Path = ROOT / "build") -> str:
    """Writes the version resource file for PyInstaller and returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "windows-version.txt"
    path.write_text(windows_version_text(), encoding="utf-8")
    return str(path)
