"""Real spreadsheet programs for tests: LibreOffice (headless) and Gnumeric's ssconvert.

Each helper converts one or more files into .xlsx the way a case worker's program saves
them, in a private LibreOffice profile (parallel runs do not clash) and with a timeout.
Tests that use them carry the `programs` marker and call `require(...)`: they skip, with
the reason, when a program is missing, and fail instead when CHOSEI_REQUIRE_PROGRAMS=1
(CI sets it, so a missing install cannot pass as a skip).

Debian: apt-get install -y --no-install-recommends libreoffice-calc-nogui gnumeric
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

LIBREOFFICE = ("soffice", "libreoffice")
GNUMERIC = ("ssconvert",)
XLSX_FILTER = "xlsx:Calc MS Excel 2007 XML"
# Comma-separated, double quotes, UTF-8 (76), from line 1.
CSV_UTF8 = "CSV:44,34,76,1"
TIMEOUT_S = 120


def _find(names: tuple[str, ...]) -> str | None:
    return next((found for name in names if (found := shutil.which(name))), None)


def require(*programs: str) -> None:
    """Skip (or fail under CHOSEI_REQUIRE_PROGRAMS=1) unless each program is installed."""
    wanted = {"libreoffice": LIBREOFFICE, "gnumeric": GNUMERIC}
    missing = [p for p in programs if _find(wanted[p]) is None]
    if not missing:
        return
    reason = (f"{' and '.join(missing)} not installed (Debian: apt-get install "
              "libreoffice-calc-nogui gnumeric)")
    if os.environ.get("CHOSEI_REQUIRE_PROGRAMS") == "1":
        pytest.fail(f"CHOSEI_REQUIRE_PROGRAMS=1 but {reason}")
    pytest.skip(reason)


def _run(argv: list[str], what: str) -> None:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT_S,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"{what} took more than {TIMEOUT_S} s: {' '.join(argv)}") from None
    if done.returncode != 0:
        raise AssertionError(f"{what} failed ({done.returncode}): {' '.join(argv)}\n{done.stdout}{done.stderr}")


def libreoffice_convert(sources: list[Path], dst_dir: Path, target: str = XLSX_FILTER,
                        infilter: str | None = None) -> list[Path]:
    """Open each source in LibreOffice Calc and save it into dst_dir (one soffice run).

    `infilter` reads the sources with a given import filter, e.g. CSV_UTF8 for a CSV.
    """
    soffice = _find(LIBREOFFICE)
    assert soffice, "LibreOffice is not installed"
    dst_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="chosei-lo-") as profile:
        _run([soffice, "--headless", "--norestore", "--nolockcheck",
              f"-env:UserInstallation=file://{profile}",
              *([f"--infilter={infilter}"] if infilter else []), "--convert-to", target,
              "--outdir", str(dst_dir), *map(str, sources)], "LibreOffice")
    ext = target.split(":", 1)[0]
    out = [dst_dir / f"{src.stem}.{ext}" for src in sources]
    for path in out:
        assert path.exists(), f"LibreOffice wrote no {path}"
    return out


def libreoffice_roundtrip(src: Path, dst_dir: Path) -> Path:
    """`src` opened in LibreOffice Calc and saved as .xlsx into dst_dir."""
    return libreoffice_convert([src], dst_dir)[0]


def gnumeric_roundtrip(src: Path, dst_dir: Path) -> Path:
    """`src` opened in Gnumeric and saved as .xlsx (Office Open XML) into dst_dir."""
    ssconvert = _find(GNUMERIC)
    assert ssconvert, "Gnumeric is not installed"
    dst_dir.mkdir(parents=True, exist_ok=True)
    dst = dst_dir / f"{src.stem}.xlsx"
    _run([ssconvert, "--export-type=Gnumeric_Excel:xlsx2", str(src), str(dst)], "ssconvert")
    assert dst.exists(), f"ssconvert wrote no {dst}"
    return dst
