"""The Dutch words for a file that could not be written, from real failures of this system."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from app.file_words import unwritable_words


def failure_of(write) -> OSError:
    with pytest.raises(OSError) as caught:
        write()
    return caught.value


def test_a_full_disk_says_so_and_what_to_do():
    def write_to_a_full_disk():
        with open("/dev/full", "w", encoding="utf-8") as handle:
            handle.write("jaarverslag")

    error = failure_of(write_to_a_full_disk)
    assert error.errno == errno.ENOSPC
    words = unwritable_words(error, Path("/media/usb/jaarverslag.pdf"))
    assert words.startswith("De schijf is vol: er is geen plaats voor /media/usb/jaarverslag.pdf.")
    assert "Maak ruimte vrij" in words


def test_a_missing_folder_a_folder_for_a_file_and_anything_else(tmp_path):
    missing = failure_of(lambda: (tmp_path / "weg" / "x.zip").write_bytes(b""))
    assert unwritable_words(missing, tmp_path / "weg" / "x.zip").startswith("De map voor")
    folder = failure_of(lambda: tmp_path.write_bytes(b""))
    assert unwritable_words(folder, tmp_path) == (
        f"{tmp_path} is een map. Kies een andere naam voor het bestand."
    )
    readonly = OSError(errno.EROFS, "Read-only file system")
    assert unwritable_words(readonly, tmp_path).startswith(f"Je mag niet schrijven in {tmp_path}.")
    other = OSError(errno.EIO, "Input/output error")
    assert unwritable_words(other, tmp_path).startswith(f"{tmp_path} kon niet worden geschreven.")
