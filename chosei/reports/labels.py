"""The words of a report in English, Korean and Japanese: one home for them.

Every word is a msgid of the message catalogue (`chosei.i18n`), read here through one
function per kind: `stage_label` for the family and remains stages (the report, the
export's Dashboard sheet and `chosei status` all read it), `Labels.t` for the report's
own text (context "report"), `Labels.line` ... for the lines. Vocabulary terms
(elements, sides, sample statuses, nationalities, relationships) come from
`chosei.vocab`, whose labels are in the same catalogue, so a report says what an
exchange workbook says. docs/terms.md gives the glossary and its sources.
"""

from __future__ import annotations

from typing import Any

from chosei import i18n
from chosei.errors import InvalidInput
from chosei.i18n import NP_
from chosei.vocab import ELEMENT, LANGS, NATIONALITY, RELATIONSHIP, SAMPLE_STATUS, SIDE

_TEXT: dict[str, str] = {
    # key: the English text, a msgid in the context "report" (`Labels.t`)
    "title": NP_("report", "Identification status report"),
    "demo": NP_("report", "DEMO CASE: fictional, generated data — not real victims or families."),
    "profile_full": NP_("report", "Profile: full (case team)"),
    "profile_partner": NP_("report",
               "Profile: partner {partner}: only relatives whose consent covers sharing with "
               "{partner} are counted"),
    "generated": NP_("report", "Generated on"),
    "audit_head": NP_("report", "Audit head"),
    "victims": NP_("report", "Victims"),
    "of_expected": NP_("report", "{n} of {expected}"),
    "total": NP_("report", "Total"),
    "count": NP_("report", "Count"),
    "stage": NP_("report", "Stage"),
    "family_stage": NP_("report", "Families: stage reached"),
    "remains_stage": NP_("report", "Remains: stage reached"),
    "specimens": NP_("report", "Recovered specimens by element and side"),
    "element": NP_("report", "Element"),
    "side": NP_("report", "Side"),
    "specimen_total": NP_("report", "Specimens"),
    "mni": NP_("report", "Minimum number of individuals (MNI)"),
    "mni_note": NP_("report",
               "The largest count of one element on one side; teeth, vertebrae, ribs, hand and "
               "foot bones and fragments do not count; never fewer than the DNA groups."),
    "element_mni": NP_("report", "MNI"),
    "dna_groups": NP_("report", "DNA groups"),
    "timeline": NP_("report", "Monthly timeline"),
    "month": NP_("report", "Month"),
    "recovered": NP_("report", "Specimens recovered"),
    "collected": NP_("report", "Samples collected"),
    "profiled": NP_("report", "Samples profiled"),
    "identified": NP_("report", "Identifications confirmed"),
    "samples": NP_("report", "Samples by status and lab"),
    "lab": NP_("report", "Lab"),
    "no_lab": NP_("report", "(no lab)"),
    "status": NP_("report", "Status"),
    "custody": NP_("report", "Custody chains with gaps"),
    "custody_summary": NP_("report", "{items} items have a custody record; {gaps} of them have gaps."),
    "custody_more": NP_("report", "… and {n} more items with gaps: `chosei check` lists them."),
    "overrides": NP_("report", "Confirmations made with an override"),
    "overrides_note": NP_("report",
               "The DNA excludes these pairs or does not single them out (posterior below 0.5); "
               "people confirmed them on other evidence, for the reason given."),
    "specimen": NP_("report", "Specimen"),
    "victim": NP_("report", "Victim"),
    "posterior": NP_("report", "Posterior"),
    "decided": NP_("report", "Decided"),
    "reason": NP_("report", "Reason"),
    "item": NP_("report", "Item"),
    "at": NP_("report", "When"),
    "gap": NP_("report", "Gap"),
    "detail": NP_("report", "Detail"),
    "gap_start": NP_("report", "chain does not start at recovery or sampling"),
    "gap_holder": NP_("report", "handed over by someone not holding it"),
    "gap_final": NP_("report", "handled after return or consumption"),
    "gap_other": NP_("report", "gap"),
    "coverage": NP_("report", "Reference lines covered by profiled relatives"),
    "line": NP_("report", "Line"),
    "coverage_note": NP_("report",
               "Close autosomal: parent, child, full sibling. Y: the paternal line (son, "
               "brother, son's son, brother's son). mtDNA: the maternal line (mother, siblings, "
               "sister's children). A victim with none of these three is not covered usefully."),
    "uncovered": NP_("report", "not covered usefully"),
    "recruit": NP_("report", "Whom to recruit next"),
    "recruit_note": NP_("report",
               "Victims whose probability of identification (LR ≥ {threshold:,.0f}, remains as "
               "degraded as the specimens typed so far) is below one half, with the relative who "
               "would raise it most ({simulations} simulations, seed {seed}). Expected "
               "identifiable: {expected:.1f}; expected false candidates over the case: "
               "{false:.2g}."),
    "now": NP_("report", "Now"),
    "recruit_who": NP_("report", "Recruit"),
    "then": NP_("report", "Then"),
    "gain": NP_("report", "Gain"),
    "victim_table": NP_("report", "Each victim"),
    "id": NP_("report", "ID"),
    "names": NP_("report", "Names"),
    "nationality": NP_("report", "Nationality"),
    "family": NP_("report", "Family"),
    "remains": NP_("report", "Remains"),
    "lines": NP_("report", "Lines"),
    "northern": NP_("report", "North"),
    "northern_note": NP_("report", "▲ registered domicile in the north of the Korean peninsula"),
    "none": NP_("report", "None."),
    "lines_note": NP_("report",
               "Lines: what the victim's profiled relatives cover: close (parent, child, full "
               "sibling) and distant autosomal DNA, Y (paternal line), mt (maternal line)."),
    "contents": NP_("report", "Contents"),
    "summary": NP_("report", "Summary"),
    "case": NP_("report", "Case"),
    "profile": NP_("report", "Profile"),
    "figure": NP_("report", "Figure"),
    "value": NP_("report", "Value"),
    "identified_total": NP_("report", "Identified (incl. returned)"),
    "ped_male": NP_("report", "male"),
    "ped_female": NP_("report", "female"),
    "ped_unknown": NP_("report", "sex unknown"),
    "ped_typed": NP_("report", "DNA profile"),
    "ped_untyped": NP_("report", "no DNA"),
    "ped_deceased": NP_("report", "deceased"),
    "ped_victim": NP_("report", "victim"),
    "ped_consanguineous": NP_("report", "couple related by blood"),
    "ped_died": NP_("report", "d. 1942"),
    "ped_title": NP_("report", "Family of {victim}"),
    "families": NP_("report", "Families of the victims compared"),
    "families_note": NP_("report",
               "Each victim with relatives whose DNA is used, drawn with the standard pedigree "
               "symbols: square male, circle female; filled: a relative with a DNA profile; "
               "slash: deceased; arrow: the victim. Untyped people are drawn only where they "
               "join the family."),
    "family_error": NP_("report", "The family of {victim} cannot be drawn: {error}"),
}

# The report workbook's sheet names (`Labels.t` too), msgids in the context "report sheet".
_SHEETS: dict[str, str] = {
    "sheet_overrides": NP_("report sheet", "Overrides"),
    "sheet_recruit": NP_("report sheet", "Recruit"),
    "sheet_families": NP_("report sheet", "Families"),
    "sheet_remains": NP_("report sheet", "Remains"),
    "sheet_specimens": NP_("report sheet", "Specimens"),
    "sheet_timeline": NP_("report sheet", "Timeline"),
    "sheet_samples": NP_("report sheet", "Samples"),
    "sheet_coverage": NP_("report sheet", "Coverage"),
    "sheet_custody": NP_("report sheet", "Custody"),
    "sheet_victims": NP_("report sheet", "Victims"),
}

# The stages of `chosei.rules` (FAMILY_STAGES, REMAINS_STAGES): one msgid each in the
# context "stage", read by `stage_label` for the report, the export's Dashboard sheet and
# `chosei status` alike, so they cannot word a stage differently.
STAGES: tuple[str, ...] = (
    NP_("stage", "no relative known"),
    NP_("stage", "located"),
    NP_("stage", "consented"),
    NP_("stage", "reference collected"),
    NP_("stage", "reference profiled"),
    NP_("stage", "none attributed"),
    NP_("stage", "candidate"),
    NP_("stage", "identified"),
    NP_("stage", "returned"),
)

# The lines a victim's relatives cover (`chosei.donor_lines`, `reports.coverage`): short in
# the victim table ("line"), long in the coverage table ("line in full").
_LINES_SHORT: dict[str, str] = {
    "close": NP_("line", "close"),
    "distant": NP_("line", "distant"),
    "Y": NP_("line", "Y"),
    "mt": NP_("line", "mt"),
}

_LINES: dict[str, str] = {
    "close": NP_("line in full", "close autosomal"),
    "distant": NP_("line in full", "distant autosomal"),
    "Y": NP_("line in full", "Y-STR (paternal)"),
    "mt": NP_("line in full", "mtDNA (maternal)"),
    "uncovered": NP_("line in full", "not covered usefully"),
}

# The typings a recruit would give: autosomal STRs, Y-STR or mtDNA.
_RECRUIT_LINES: dict[str, str] = {
    "autosomal": NP_("typing", "autosomal STR"),
    "Y": NP_("typing", "Y-STR"),
    "mt": NP_("typing", "mtDNA"),
}


def language(lang: str | None) -> str:
    """A report language (en, ko, ja): `lang`, else the current one (`chosei.i18n`)."""
    chosen = (lang or i18n.current()).strip().lower()
    if chosen not in LANGS:
        raise InvalidInput(i18n._("'{lang}' is not a report language; use en, ko or ja").format(lang=chosen))
    return chosen


def stage_label(stage: str, lang: str | None = None) -> str:
    """A family or remains stage (`chosei.rules`) in `lang` (default: the current language),
    as the Dashboard sheet and `chosei status` write it; the report capitalises it
    (`Labels.stage`). English is the stage itself."""
    if stage not in STAGES:
        raise ValueError(f"{stage!r} is not a stage")
    return i18n.pgettext_in(language(lang), "stage", stage)


class Labels:
    """The words of one language (default: the current one); `Labels('ko').t('victims')`
    → `희생자`."""

    def __init__(self, lang: str | None = None) -> None:
        self.lang = language(lang)

    def t(self, key: str, **values: Any) -> str:
        text = (i18n.pgettext_in(self.lang, "report sheet", _SHEETS[key]) if key in _SHEETS
                else i18n.pgettext_in(self.lang, "report", _TEXT[key]))
        return text.format(**values) if values else text

    def stage(self, label: str) -> str:
        """A stage as a report's table writes it (capitalised in English)."""
        text = stage_label(label, self.lang)
        return text[:1].upper() + text[1:]

    @staticmethod
    def stage_labels() -> frozenset[str]:
        return frozenset(STAGES)

    def line(self, code: str) -> str:
        return i18n.pgettext_in(self.lang, "line in full", _LINES[code])

    def line_short(self, code: str) -> str:
        return i18n.pgettext_in(self.lang, "line", _LINES_SHORT[code])

    def recruit_line(self, code: str) -> str:
        """A line a recruit would be typed for: autosomal STRs, Y-STR or mtDNA."""
        return i18n.pgettext_in(self.lang, "typing", _RECRUIT_LINES[code])

    def element(self, code: str) -> str:
        return ELEMENT.label(code, self.lang) if code in ELEMENT else code

    def side(self, code: str) -> str:
        return SIDE.label(code, self.lang) if code in SIDE else code

    def sample_status(self, code: str) -> str:
        return SAMPLE_STATUS.label(code, self.lang) if code in SAMPLE_STATUS else code

    def nationality(self, code: str) -> str:
        return NATIONALITY.label(code, self.lang) if code in NATIONALITY else code

    def relationship(self, code: str) -> str:
        return RELATIONSHIP.label(code, self.lang) if code in RELATIONSHIP else code
