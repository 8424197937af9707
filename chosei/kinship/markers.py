"""Marker names: the one module that says how a locus is spelled and compared.

A marker has two forms, and both come from here:

* the **store's spelling** (`store_spelling`): the name as kits print it, one spelling
  per locus — `vWA`, `Penta D`, `TH01`, `AMEL`, `mtDNA`, `D8S1179` — whatever a lab
  wrote (`VWA`, `vwa`, `Amelogenin`, `penta d`). The exchange workbook, the store and
  every report show this form.
* the **engine's key** (`normalise_marker`): upper case without spaces, `_` or `-`
  (`VWA`, `PENTAD`), how `kinship` keys profiles and frequency tables so that
  `Penta E`, `PENTA_E` and `PENTAE` are one locus whichever spelling a table used.

The key of a name equals the key of its store spelling (tests/kinship/test_markers.py
pins it for every known spelling), so a profile read from the store and a table read
from a file meet at one key. `Y_STR` tells a Y-STR locus (one column per marker on the
Haplotypes sheet, a Y line in a profile) from an autosomal one.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Final

from chosei.i18n import _
from chosei.kinship.errors import KinshipInputError

MT: Final = "mtDNA"
AMEL: Final = "AMEL"

# Y-STR loci: DYS/DYF numbers and the GATA/GAAT/GGAAT names of Y-specific repeats.
Y_STR: Final = re.compile(r"^(DYS|DYF|Y-?GATA|Y-?GGAAT|Y-?GAAT)", re.IGNORECASE)

# Loci whose kit spelling is not simply upper case.
_KNOWN = ("vWA", "TH01", "Penta D", "Penta E", AMEL, MT, "SE33", "TPOX", "FGA", "CSF1PO")
_SPELLING = {"".join(k.casefold().split()): k for k in _KNOWN}
_SPELLING.update({"amelogenin": AMEL, "amel": AMEL, "mt": MT, "mtdna": MT, "mito": MT,
                  "pentad": "Penta D", "pentae": "Penta E", "th1": "TH01"})
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,31}$")
_KEY_DROPS = re.compile(r"[\s_\-]")


def _folded(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


class MarkerNameError(KinshipInputError):
    """Text that is not a marker name; the message says how to write one."""


def store_spelling(value: object) -> str:
    """The store's spelling of a marker name (`vwa` → `vWA`, `d8s1179` → `D8S1179`)."""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    folded = _folded(text)
    if folded in _SPELLING:
        return _SPELLING[folded]
    if not _NAME.match(text):
        raise MarkerNameError(_("'{text}' is not a marker name: write it as the kit does, e.g. D8S1179, vWA, "
                                "DYS19, mtDNA").format(text=text))
    return " ".join(text.upper().split())


def normalise_marker(name: str) -> str:
    """The engine's key of a marker name (``"D3S1358"``, ``"PENTAE"``)."""
    if not isinstance(name, str) or not name.strip():
        raise KinshipInputError(_("marker name {name!r} is empty; give a name such as 'D3S1358'").format(name=name))
    return _KEY_DROPS.sub("", name).upper()


@functools.lru_cache(maxsize=1024)  # asked for every allele an import reads
def is_amelogenin(marker: str) -> bool:
    """Amelogenin (sex, X/Y alleles), however written."""
    return _SPELLING.get(_folded(marker)) == AMEL


def is_y_str(marker: str) -> bool:
    return Y_STR.match(marker) is not None
