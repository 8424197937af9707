"""Reports on the case: the status report (xlsx or HTML), lineage coverage, power.

`write_report` is the one entry point the CLI calls for a report file; `coverage.coverage`
and `power` serve `chosei coverage` and `chosei power`. Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chosei import i18n
from chosei.errors import InvalidInput
from chosei.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session

# Nothing heavy here: `chosei status` reads its stage words from `reports.labels`, and
# importing a submodule runs this file first (the store's models load with the report).

FORMATS = {".xlsx": "xlsx", ".html": "html", ".htm": "html"}


def report_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise InvalidInput(_("cannot tell the report format of '{path}': name it OUT.xlsx "
                             "(Excel, with charts) or OUT.html (a page to open or print)").format(path=path))
    return FORMATS[suffix]


def write_report(session: Session, out: str | Path, *, lang: str | None = "en",
                 profile: str = "full", partner: str | None = None,
                 protected: Iterable[Path] = (), power: Any = None) -> dict[str, Any]:
    """Write the status report to `out` (.xlsx or .html) for an audience; return a summary.
    With `power` (a `power.PowerSettings`) it adds whom to recruit next for the victims whose
    identification probability is below one half.

    The file appears whole or not at all (`chosei.outputs`), never over a `protected` file.
    `lang` None is the current language (`chosei.i18n`); what the report shows from the
    store's rules (custody gaps, notes) is worded in the report's language too.
    """
    from chosei.outputs import check_target, output_file
    from chosei.reports.common import Audience
    from chosei.reports.data import report_data
    from chosei.reports.labels import Labels

    fmt = report_format(out)
    audience = Audience.of(profile, partner)
    lang = Labels(lang).lang  # refuse a bad language before any work
    target = Path(out)
    check_target(target, protected)
    with i18n.in_language(lang):
        data = report_data(session, audience, power)
    with output_file(target, protected) as tmp, tmp.open("wb") as fh:
        if fmt == "xlsx":
            from chosei.reports.xlsx import write_xlsx

            write_xlsx(data, fh, lang)
        else:
            from chosei.reports.html import render_html

            fh.write(render_html(data, lang).encode("utf-8"))
    return {
        "path": str(target),
        "format": fmt,
        "lang": lang,
        **audience.as_dict(),
        "demo": data["case"]["demo"],
        "victims": data["victims"]["total"],
        "specimens": data["specimens"]["total"],
        "mni": data["specimens"]["mni"],
    }
