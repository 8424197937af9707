"""`export_workbook`: the store (what a profile may show of it) as an exchange workbook.

Profiles decide what leaves:
- `full`: everything.
- `partner` (`KR` or `JP`): no contact details and no notes on relatives or on the
  people of family trees; only relatives whose consent to share with that agency is in
  effect, and nothing that hangs off the others (their samples, the samples' custody
  records and profiles; in a family tree, the Relative ID of the person who is one).
- `lab`: blind. Only the Samples sheet, with sample IDs, types and dates; only samples
  from specimens or from relatives whose consent to analysis is in effect.

Vocabularies are written as labels in the export's language (the codes in English);
the import reads every label back. The export is recorded in the audit trail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from chosei import audit
from chosei.audit_anchor import current_head
from chosei.errors import InvalidInput
from chosei.exchange import about, cells, schema, xlsx
from chosei.exchange.adapters import ExportContext
from chosei.exchange.dashboard import dashboard_rows
from chosei.exchange.report import ExportReport
from chosei.exchange.validate import ADAPTERS
from chosei.i18n import _
from chosei.models import Relative, Sample
from chosei.models._base import sensitive_fields
from chosei.outputs import synced
from chosei.services.case import require_case
from chosei.services.snp_export import check_vcf_target, export_snp_vcf
from chosei.services.stages import consent_in_effect

PROFILES = ("full", "partner", "lab")
PARTNERS = ("KR", "JP")
Progress = Callable[[int, int], None]

# Columns a profile leaves out, by sheet (a partner: the sensitive fields and the notes
# on families); the lab profile keeps only the ones listed.
PARTNER_DROPS = {"Relatives": (*sorted(sensitive_fields(Relative)), "notes"), "Pedigrees": ("notes",)}
LAB_KEEPS = {"Samples": ("id", "type", "collected_on", "status_date", "version")}

_TEXT_KINDS = (schema.ID, schema.TEXT, schema.MARKER, schema.ALLELE, schema.VARIANTS,
               schema.IDLIST)
_NUMBER_KINDS = (schema.YEAR, schema.AGE, schema.INT, schema.FLOAT)
_COLUMN_FORMAT = {schema.VERSION: "version", **dict.fromkeys(_NUMBER_KINDS, "general")}

LIST_MESSAGE = {
    "en": "Not in the list. chosei also accepts the Korean and Japanese terms listed in "
          "the Instructions of its template.",
    "ko": "목록에 없는 값입니다. chosei는 양식의 안내에 있는 다른 표현도 받아들입니다.",
    "ja": "リストにない値です。chosei はテンプレートの説明にある別の表記も受け付けます。",
}


def _cell_fn(kind: str) -> xlsx.CellWriter:
    if kind == schema.DATE:
        return xlsx.date_cell
    if kind == schema.DATETIME:
        return xlsx.datetime_cell
    if kind in _NUMBER_KINDS:
        return xlsx.number_cell
    if kind == schema.VERSION:
        return xlsx.version_cell
    return xlsx.text_cell


def _converter(col: schema.Column, lang: str) -> Callable[[Any], Any] | None:
    """Store value → what the cell shows; None when the value goes as it is."""
    if col.kind == schema.VOCAB:
        assert col.vocab is not None
        vocab = col.vocab
        labels = {code: vocab.label(code, lang) for code in vocab.codes}
        # a relationship path that is no code is labelled too (its terms joined by 의 / の)
        return lambda v: labels[v] if v in labels else vocab.label(v, lang) if v in vocab else v
    if col.kind == schema.SCOPES:
        return lambda v: schema.CONSENT_SCOPE.format(v.split(";"), lang) if v else None
    if col.kind == schema.TEXT:
        return lambda v: cells.escape_text(v) if isinstance(v, str) else v
    return None


def data_columns(columns: Sequence[schema.Column], lang: str,
                 note: str | None = None) -> list[xlsx.DataColumn]:
    out = []
    for column in columns:
        out.append(xlsx.DataColumn(
            header=column.header(lang), width=column.width, cell=_cell_fn(column.kind),
            fmt=_COLUMN_FORMAT.get(column.kind, "text"),
            choices=column.vocab.name if column.vocab is not None else None,
            note=note if column.kind == schema.VERSION else None,
        ))
    return out


def add_lists(book: xlsx.Book, columns: Iterable[schema.Column], lang: str) -> None:
    for column in columns:
        if column.vocab is not None:
            book.add_list(column.vocab.name, column.vocab.choices(lang))


def _context(session: Session, profile: str, partner: str | None) -> ExportContext:
    ctx = ExportContext(profile=profile, partner=partner)
    if profile == "full":
        return ctx
    scope = f"share:{partner}" if profile == "partner" else "analysis"
    active = consent_in_effect(Relative.id, scope)
    hidden = set(session.execute(select(col(Relative.id)).where(~active)).scalars())
    ctx.hidden_relatives = frozenset(hidden)
    samples = select(col(Sample.id)).where(col(Sample.relative_id).in_(select(col(Relative.id)).where(~active)))
    ctx.hidden_samples = frozenset(session.execute(samples).scalars())
    return ctx


def _columns(spec: schema.Sheet, profile: str) -> list[schema.Column]:
    if profile == "lab":
        keep = LAB_KEEPS.get(spec.name, ())
        return [c for c in spec.columns if c.field in keep]
    if profile == "partner":
        drops = PARTNER_DROPS.get(spec.name, ())
        return [c for c in spec.columns if c.field not in drops]
    return list(spec.columns)


def _rows(views: Iterable[tuple[dict[str, Any], int]], columns: list[schema.Column],
          lang: str) -> Iterator[list[Any]]:
    convert = [(c.field, _converter(c, lang)) for c in columns]
    for view, version in views:
        row: list[Any] = []
        for name, fn in convert:
            if name == "version":
                row.append(version)
                continue
            value = view.get(name)
            row.append(fn(value) if fn is not None and value is not None else value)
        yield row


def choose_sheets(names: Sequence[str] | None, profile: str) -> list[schema.Sheet]:
    allowed = [s for s in schema.SHEETS if profile != "lab" or s.name in LAB_KEEPS]
    if not names:
        return allowed
    chosen = []
    for name in names:
        for part in str(name).split(","):
            if not part.strip():
                continue
            try:
                sheet = schema.sheet_named(part.strip())
            except ValueError as exc:
                raise InvalidInput(str(exc)) from None
            if sheet not in allowed:
                raise InvalidInput(_("the {profile} profile does not carry the {sheet} sheet; it carries: "
                                     "{sheets}").format(profile=profile, sheet=sheet.name,
                                                        sheets=", ".join(s.name for s in allowed)))
            if sheet not in chosen:
                chosen.append(sheet)
    return sorted(chosen, key=schema.SHEETS.index)


def export_workbook(session: Session, path: Path | str, *, profile: str = "full",
                    partner: str | None = None, lang: str = "en",
                    sheets: Sequence[str] | None = None, progress: Progress | None = None,
                    now: dt.datetime | None = None, into: Path | str | None = None,
                    snp_vcf: Path | None = None, snp_into: Path | None = None) -> ExportReport:
    """Write the store, as `profile` may show it, to the workbook at `path`.

    `into` is where the bytes go when that is not `path` yet: the temporary file of
    `chosei.outputs.output_file`, renamed to `path` once the export's audit entry is
    committed. The audit and the report name `path`. `snp_vcf` (its temporary file
    `snp_into`): also write the SNP calls the profile may carry there, as a VCF
    (`services.snp_export`); the same audit entry names it.
    """
    path = Path(path)
    if profile not in PROFILES:
        raise InvalidInput(_("'{profile}' is not a profile; choose from: {profiles}").format(
            profile=profile, profiles=", ".join(PROFILES)))
    if lang not in schema.LANGS:
        raise InvalidInput(_("'{lang}' is not a language; choose from: {langs}").format(
            lang=lang, langs=", ".join(schema.LANGS)))
    partner = partner.strip().upper() if partner else None
    if profile == "partner" and partner not in PARTNERS:
        raise InvalidInput(_("the partner profile needs --partner KR or --partner JP"))
    if profile != "partner" and partner:
        raise InvalidInput(_("--partner goes with --profile partner"))
    if snp_vcf is not None:
        check_vcf_target(snp_vcf)
    case = require_case(session)
    chosen = choose_sheets(sheets, profile)
    now = now or dt.datetime.now(dt.UTC)
    ctx = _context(session, profile, partner)
    report = ExportReport(path=path, profile=profile, partner=partner, lang=lang)
    book = xlsx.Book(Path(into or path), created=now.replace(tzinfo=None), list_message=LIST_MESSAGE[lang])
    total = _count(session, chosen)
    done = [0]

    def tick(n: int) -> None:
        done[0] += n
        if progress:
            progress(min(done[0], total), total)

    for spec in chosen:
        adapter = ADAPTERS[spec.name]
        columns = _columns(spec, profile)
        views: Iterable[tuple[dict[str, Any], int]] = adapter.export(session, ctx)
        extra = []
        if spec is schema.HAPLOTYPES:
            views = list(views)
            extra = adapter.extra_columns([v for v, _ in views])
            columns = [*columns[:-1], *extra, columns[-1]]
        add_lists(book, columns, lang)
        n = book.add_data(spec.title(lang), data_columns(columns, lang, about.NOTE[lang]),
                          _rows(views, columns, lang), tick)
        report.rows[spec.name] = n
    report.withheld = dict(ctx.withheld)
    if profile != "lab":
        title = schema.DASHBOARD[schema.LANGS.index(lang)]
        rows, bold = dashboard_rows(session, lang, partner)
        book.add_plain(title, rows, [28, 12, 12, 12, 12], bold)
    details: dict[str, Any] = {"file": path.name, "profile": profile, "partner": partner, "lang": lang,
               "sheets": dict(report.rows), "withheld": dict(report.withheld)}
    if snp_vcf is not None:
        report.snp = export_snp_vcf(session, snp_vcf, snp_into or snp_vcf, profile, ctx.hidden_samples)
        details["snp_vcf"] = {"file": snp_vcf.name, "samples": report.snp.samples, "sites": report.snp.sites,
                              "withheld_samples": report.snp.withheld}
    # Recorded before the About sheet is written, so the head it carries covers the export.
    audit.record(session, [audit.Change("export", "workbook", path.name, None, details)])
    info = about.about_rows(session, case, profile=profile, partner=partner, lang=lang,
                            exported_at=now)
    book.add_plain(schema.ABOUT[schema.LANGS.index(lang)], [list(r) for r in info], [22, 60])
    book.close()
    synced(Path(into or path), path)  # on disk before the transaction holding its audit entry commits
    if report.snp is not None and snp_vcf is not None:  # report.snp is set only with snp_vcf
        synced(snp_into or snp_vcf, snp_vcf)
    report.audit_head = str(current_head(session))
    return report


def _count(session: Session, sheets: list[schema.Sheet]) -> int:
    from sqlalchemy import func

    total = 0
    for spec in sheets:
        table = ADAPTERS[spec.name].table
        total += session.execute(select(func.count()).select_from(table)).scalar_one()
    return max(total, 1)
