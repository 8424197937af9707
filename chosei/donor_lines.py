"""What each kind of relative can show about a male victim: the one relationship table.

DNA from a relative speaks to an identification through up to four lines:

* **close** autosomal: a first-degree relative (parent, child, full sibling) shares half
  the victim's autosomal DNA (a full sibling shares it IBD 0/1/2 with 1/4, 1/2, 1/4), so
  about 20 STR markers usually give an LR far above 10,000;
* **distant** autosomal: second- and third-degree relatives (grandchild, half-sibling,
  niece or nephew) share a quarter at most; with about 20 STRs they rarely reach 10,000;
* **Y**: the Y-STR haplotype passes unchanged from father to son, so the men of the
  victim's paternal line (father, sons, full and paternal half-brothers, a son's son, a
  brother's son) carry the victim's haplotype;
* **mt**: mtDNA passes from a mother to all her children, so everyone of the victim's
  maternal line (mother, full siblings, maternal half-siblings, a sister's children)
  carries the victim's haplotype. The victim's own children carry their mother's mtDNA,
  not his.

The lines follow from the relationship path (`kinship.paths`), so every path has them,
not only the terms of the vocabulary; for those they agree with docs/domain.md ("Who
gives reference DNA"). Any relative of degree 1 is close, of degree 2 or more distant (a first
cousin or a great-nephew, degree 3, shares an eighth at most). A path is on the Y line
when every person along it is male and its sideways step shares V's father
(``father's brother's son``), on the mt line when it goes up through mothers, sideways
through a full or maternal half-sibling, then down through daughters (the last step
either sex: ``mother's sister's son``). A spouse shares no DNA with the victim (useful only as the
other parent of typed children, never alone); `other` is unknown, so it covers nothing.
The Y line assumes a male victim, as all the Chosei miners were; for a victim recorded
female `lines_for` drops it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

from chosei.kinship.errors import KinshipInputError
from chosei.kinship.paths import NON_GENETIC, parse_path
from chosei.vocab import RELATIONSHIP

CLOSE, DISTANT, Y, MT = "close", "distant", "Y", "mt"
LINES: Final = (CLOSE, DISTANT, Y, MT)



@lru_cache(maxsize=4096)
def path_lines(relationship: str, victim_sex: str | None = None) -> frozenset[str]:
    """The lines a profiled relative covers, derived from his relationship path:
    degree 1 is close, any further degree distant; Y and mt as `kinship.paths.Path`
    says. `spouse`, `other` and anything that is no path cover nothing."""
    if relationship in NON_GENETIC:
        return frozenset()
    try:
        path = parse_path(relationship)
    except KinshipInputError:
        return frozenset()
    lines = {CLOSE if path.degree == 1 else DISTANT}
    if path.y_line():
        lines.add(Y)
    if path.mt_line("F" if victim_sex == "F" else "M"):
        lines.add(MT)
    return frozenset(lines)


# relationship → the lines a profiled relative of that kind covers (male victim), for
# every term of the vocabulary; any other path is derived when asked (`lines_for`).
RELATIONSHIP_LINES: Final[dict[str, frozenset[str]]] = {
    code: path_lines(code) for code in RELATIONSHIP.codes
}

# MOIS accepts one donor per family from: the victim's children; siblings; a son's son;
# brothers' children; sisters' children (in that order of the list).
MOIS_ELIGIBLE: Final = (
    "son", "daughter", "brother", "sister", "son's son",
    "brother's son", "brother's daughter", "sister's son", "sister's daughter",
)

def lines_for(relationship: str, victim_sex: str | None = None) -> frozenset[str]:
    """The lines a profiled relative of this kind covers for the victim."""
    if victim_sex != "F" and relationship in RELATIONSHIP_LINES:
        return RELATIONSHIP_LINES[relationship]
    lines = path_lines(relationship, victim_sex)
    return lines - {Y} if victim_sex == "F" else lines


def useful(covered: frozenset[str] | set[str]) -> bool:
    """Whether the covered lines can usually name the dead: close autosomal, Y or mt."""
    return bool(set(covered) & {CLOSE, Y, MT})


def recruit_order(covered: frozenset[str] | set[str],
                  victim_sex: str | None = None) -> list[tuple[str, list[str]]]:
    """MOIS-eligible kinds that would cover a line still missing, best first.

    Each entry is (relationship, the missing lines it would cover). A close relative
    comes first (it usually decides alone), then a kind that brings a lineage marker
    (Y or mt; the more lines the better), then one that brings only distant autosomal
    DNA. Ties keep the MOIS list's order.
    """
    missing = set(LINES) - set(covered)
    if CLOSE in covered:
        missing.discard(DISTANT)  # a close relative says all a distant one would
    ranked = []
    for index, kind in enumerate(MOIS_ELIGIBLE):
        gain = lines_for(kind, victim_sex) & missing
        if not gain:
            continue
        lineage = len(gain & {Y, MT})
        ranked.append(((CLOSE in gain, lineage, DISTANT in gain, -index), kind, gain))
    ranked.sort(key=lambda item: item[0], reverse=True)
    return [(kind, [line for line in LINES if line in gain]) for _, kind, gain in ranked]
