"""What the package is built from, checked without building it: the parts of Qt that are left
out (the same for Postwijs and the bare window it is measured against), the Windows version
resource, the macOS entitlements and the icons. The Windows and macOS builds themselves cannot
run here (docs/it.md says so)."""

from __future__ import annotations

import ast
import plistlib
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "packaging"))
import trim
import version


@pytest.mark.parametrize(
    ("destination", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqtiff.so", False),
        ("PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so", True),
        ("PySide6/Qt/plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so", True),
        ("PySide6/Qt/translations/qtbase_nl.qm", False),
        ("libgtk-3.so.0", False),
        ("libcairo.so.2", False),
        ("PySide6/Qt/lib/libQt6Quick.so.6", False),
        ("PySide6/Qt/lib/libQt6Gui.so.6", True),
        ("libxkbcommon-x11.so.0", True),
        ("libglib-2.0.so.0", True),
        ("PySide6\\Qt\\plugins\\platforms\\qwindows.dll", True),
        ("simplemma/strategies/dictionaries/data/nl.plzma", True),
        ("simplemma/strategies/dictionaries/data/fi.plzma", False),
        ("simplemma\\strategies\\dictionaries\\data\\ast.plzma", False),
    ],
)
def test_what_the_package_leaves_out(destination, kept):
    assert trim.kept(destination) is kept


def test_both_specs_are_valid_python_and_share_the_list_of_what_is_left_out():
    for spec in (ROOT / "build.spec", ROOT / "packaging" / "bare_window.spec"):
        source = spec.read_text(encoding="utf-8")
        ast.parse(source)
        assert "from trim import EXCLUDED_MODULES, NOARCHIVE, trimmed" in source
        assert source.count("trimmed(") >= 2


def test_the_windows_version_resource_carries_the_projects_version(tmp_path):
    text = version.windows_version_text("1.2.3")
    tree = ast.parse(text, mode="eval")  # PyInstaller evaluates this text
    assert isinstance(tree.body, ast.Call) and tree.body.func.id == "VSVersionInfo"
    assert "filevers=(1, 2, 3, 0)" in text and "StringStruct('ProductVersion', '1.2.3')" in text
    assert "StringStruct('CompanyName', 'SCOH')" in text
    path = version.windows_version_info(tmp_path)
    assert f"'{version.VERSION}'" in Path(path).read_text(encoding="utf-8")


def test_the_macos_entitlements_name_the_keychain_group():
    with (ROOT / "packaging" / "macos" / "entitlements.plist").open("rb") as file:
        entitlements = plistlib.load(file)
    assert entitlements == {"keychain-access-groups": ["TEAMID.nl.scoh.postwijs"]}


def test_the_icons_hold_the_sizes_windows_and_macos_ask_for():
    with Image.open(ROOT / "packaging" / "icons" / "postwijs.ico") as ico:
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])
    with Image.open(ROOT / "packaging" / "icons" / "postwijs.icns") as icns:
        assert icns.size == (1024, 1024)
