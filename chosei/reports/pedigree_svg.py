"""A family drawn as a pedigree: one self-contained SVG, no script, no external reference.

The symbols follow Bennett et al., "Standardized human pedigree nomenclature" (2008, and
the 2022 update): a square is a man, a circle a woman, a diamond a person of unknown
sex; a horizontal line joins partners (a double line when they are related by blood);
a vertical line drops from it to the sibship line, from which a short line drops to
each child. The victims are marked with an arrow (the proband's) and, since every one
of them died in 1942, a slash and "d. 1942". A relative with a DNA profile (`typed`)
is filled; anybody else is open. The victims themselves are not filled: their DNA is
the unknown remains', not a reference. A legend says all this in the picture.

Layout, by generation: a child sits one row below the lower of its parents; a founder
who only marries in sits on the row of the partner. Within a row the order comes from
walking the family from its oldest founders (partners next to each other, a sibship in
a block under its parents, a second partner on the other side); then a few sweeps move
each sibship under its parents and each couple above its children, and a last
left-to-right sweep keeps every symbol (with its label) apart, so symbols never overlap.
A marriage loop (cousins who marry) is drawn with the lines it needs, crossing if they
must. The same pedigree always gives the same bytes: nothing depends on a set's order.

Labels come from users (ids, names): they are stripped of control characters, cut to
`MAX_LABEL_CHARS` per line and `MAX_LABEL_LINES` lines, and escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from xml.sax.saxutils import escape, quoteattr

from chosei.kinship.pedigree import Pedigree, Person
from chosei.reports.labels import Labels
from chosei.reports.svg import text_width

MAX_LABEL_CHARS = 24
MAX_LABEL_LINES = 3
MAX_TITLE_CHARS = 80
SIZE = 30.0  # a symbol's width and height
HALF = SIZE / 2
ROW = 118.0  # from one generation's symbols to the next
GAP = 14.0  # the least room between two neighbours' symbols or labels
FONT = 11.0
LINE_H = 13.0
MARGIN = 16.0
ARROW = 22.0  # room the victim's arrow takes at the lower left of the symbol
INK = "#1b1b1b"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")

Couple = tuple[str, str]


def clean_label(text: object, chars: int = MAX_LABEL_CHARS) -> tuple[str, ...]:
    """A user's label as at most `MAX_LABEL_LINES` lines of at most `chars` characters,
    without the control characters XML cannot hold (not yet escaped)."""
    lines = []
    for line in _CONTROL.sub("", str(text)).replace("\r", "\n").split("\n"):
        line = " ".join(line.split())
        if not line:
            continue
        if len(line) > chars:
            line = line[: chars - 1] + "…"
        lines.append(line)
    return tuple(lines[:MAX_LABEL_LINES])


def pedigree_svg(
    pedigree: Pedigree,
    *,
    labels: Mapping[str, str] | None = None,
    victims: Iterable[str] = (),
    title: str | None = None,
    lang: str = "en",
) -> str:
    """The pedigree as an SVG document (a string). `labels` maps a person's id to the text
    under the symbol (lines split at newlines; default: the id of every typed person and
    victim); `victims` are marked besides `pedigree.victim` (brothers who died together);
    `title` heads the picture; `lang` (en, ko, ja) words the legend."""
    words = Labels(lang)
    marked = {pedigree.victim, *(v for v in victims if _has(pedigree, v))}
    if labels is None:
        labels = {p.id: p.id for p in pedigree.persons if p.typed or p.id in marked}
    texts = {p.id: clean_label(labels.get(p.id, "")) for p in pedigree.persons}
    for pid in marked:
        texts[pid] = (*texts[pid][: MAX_LABEL_LINES - 1], words.t("ped_died"))
    layout = _Layout(pedigree, texts, marked)
    return _Drawing(pedigree, layout, texts, marked, title, words).render()


def _has(pedigree: Pedigree, pid: str) -> bool:
    return any(p.id == pid for p in pedigree.persons)


class _Layout:
    """Generations, the order within each, and x positions (symbol centres)."""

    def __init__(self, pedigree: Pedigree, texts: Mapping[str, tuple[str, ...]], marked: set[str]) -> None:
        self.ped = pedigree
        self.persons = {p.id: p for p in pedigree.persons}
        self.couples: dict[Couple, list[str]] = {}
        for p in pedigree.persons:
            if p.father is not None and p.mother is not None:
                self.couples.setdefault((p.father, p.mother), []).append(p.id)
        self.couples_of: dict[str, list[Couple]] = {pid: [] for pid in self.persons}
        for couple in self.couples:
            for member in couple:
                self.couples_of[member].append(couple)
        self.left: dict[str, float] = {}
        self.right: dict[str, float] = {}
        for pid in self.persons:
            half = max([HALF, *(text_width(line, FONT) / 2 for line in texts[pid])])
            self.right[pid] = half
            self.left[pid] = max(half, HALF + ARROW) if pid in marked else half
        self.gen = self._generations()
        self.rows = self._order()
        self.row_of = {pid: (g, i) for g, row in self.rows.items() for i, pid in enumerate(row)}
        self.x = self._positions()

    def _generations(self) -> dict[str, int]:
        gen: dict[str, int] = {}
        for p in self.ped.persons:  # parents come first
            gen[p.id] = 0 if p.parents is None else 1 + max(gen[parent] for parent in p.parents)
        for p in self.ped.persons:
            kids = [k for c in self.couples_of[p.id] for k in self.couples[c]]
            if p.father is None and kids:
                gen[p.id] = min(gen[k] for k in kids) - 1
        return gen

    def _order(self) -> dict[int, list[str]]:
        rows: dict[int, list[str]] = {g: [] for g in sorted(set(self.gen.values()))}
        placed: set[str] = set()
        done: set[Couple] = set()

        def emit(pid: str) -> None:
            if pid not in placed:
                placed.add(pid)
                rows[self.gen[pid]].append(pid)

        def other(couple: Couple, pid: str) -> str:
            return couple[1] if couple[0] == pid else couple[0]

        def free(couple: Couple, pid: str) -> bool:
            partner = other(couple, pid)
            return couple not in done and partner not in placed and self.gen[partner] == self.gen[pid]

        def visit(pid: str) -> None:
            mine = [c for c in self.couples_of[pid] if c not in done]
            if pid not in placed and len(mine) > 1 and free(mine[0], pid):
                # Several partners: the first on the left, with that partner's other
                # partners further left, so every partner line stays short and each
                # sibship sits under its own couple.
                first = other(mine[0], pid)
                theirs = [c for c in self.couples_of[first] if c != mine[0] and free(c, first)]
                for couple in theirs:
                    emit(other(couple, first))
                emit(first)
                mine = [*theirs, *mine]
            emit(pid)
            for couple in mine:
                if couple in done:
                    continue
                done.add(couple)
                for member in couple:
                    emit(member)
                for child in self.couples[couple]:
                    visit(child)
            for couple in mine:
                for member in couple:
                    visit(member)

        founders = [p.id for p in self.ped.persons if p.father is None]
        # Start from the oldest lines: founders whose partners are founders too; a
        # founder who married into the family is reached through the partner.
        tops = [f for f in founders if all(self.persons[other(c, f)].father is None for c in self.couples_of[f])]
        for pid in [*tops, *(p.id for p in self.ped.persons)]:
            visit(pid)
        return rows

    def _distance(self, a: str, b: str) -> float:
        """The least distance between the centres of neighbours `a` (left) and `b`; the
        line down from partners passes between their labels."""
        room = self.right[a] + self.left[b] + GAP
        if (a, b) in self.couples or (b, a) in self.couples:
            room = max(room, 2 * max(self.right[a], self.right[b]) + 14)  # `right`: half the label
        return room

    def _place(self, row: list[str], want: Mapping[str, float], x: dict[str, float]) -> None:
        """Each person of `row` as near `want` as the order and the spacing allow: the
        least-squares positions keeping every neighbour at its distance (pool adjacent
        violators on the positions less the distances before them)."""
        offsets, at = [], 0.0
        for i, pid in enumerate(row):
            at += self._distance(row[i - 1], pid) if i else 0.0
            offsets.append(at)
        blocks: list[list[float]] = []  # [sum, count] of pooled targets
        for pid, off in zip(row, offsets, strict=True):
            blocks.append([want[pid] - off, 1.0])
            while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
                total, count = blocks.pop()
                blocks[-1][0] += total
                blocks[-1][1] += count
        i = 0
        for total, count in blocks:
            for _ in range(int(count)):
                x[row[i]] = total / count + offsets[i]
                i += 1

    def _positions(self) -> dict[str, float]:
        x: dict[str, float] = {}
        for row in self.rows.values():
            at = 0.0
            for i, pid in enumerate(row):
                at = at + self._distance(row[i - 1], pid) if i else 0.0
                x[pid] = at
        gens = sorted(self.rows)
        for _ in range(4):
            for g in gens[1:]:
                self._place(self.rows[g], self._under_parents(self.rows[g], x), x)
            for g in reversed(gens[:-1]):
                self._place(self.rows[g], self._over_children(self.rows[g], x), x)
        for g in gens[1:]:
            self._place(self.rows[g], self._under_parents(self.rows[g], x), x)
        shift = MARGIN - min((x[pid] - self.left[pid] for pid in x), default=0.0)
        return {pid: value + shift for pid, value in x.items()}

    def _under_parents(self, row: list[str], x: Mapping[str, float]) -> dict[str, float]:
        want = {pid: x[pid] for pid in row}
        for couple, kids in self.couples.items():
            here = sorted((k for k in kids if k in want), key=lambda k: self.row_of[k][1])
            if not here:
                continue
            centre = (x[couple[0]] + x[couple[1]]) / 2
            widths = [self._distance(a, b) for a, b in zip(here, here[1:], strict=False)]
            start = centre - sum(widths) / 2
            for i, kid in enumerate(here):
                want[kid] = start + sum(widths[:i])
        for pid in row:  # a founder who married in stays beside the partner
            person = self.persons[pid]
            if person.father is None and self.couples_of[pid]:
                partner = next(m for m in self.couples_of[pid][0] if m != pid)
                if self.row_of[partner][0] == self.row_of[pid][0]:
                    before = self.row_of[pid][1] < self.row_of[partner][1]
                    gap = self._distance(pid, partner) if before else self._distance(partner, pid)
                    want[pid] = want.get(partner, x[partner]) + (-gap if before else gap)
        return want

    def _over_children(self, row: list[str], x: Mapping[str, float]) -> dict[str, float]:
        want = {pid: x[pid] for pid in row}
        for pid in row:
            for couple in self.couples_of[pid]:
                partner = couple[1] if couple[0] == pid else couple[0]
                if self.row_of[partner][0] != self.row_of[pid][0]:
                    continue
                kids = self.couples[couple]
                centre = sum(x[k] for k in kids) / len(kids)
                before = self.row_of[pid][1] < self.row_of[partner][1]
                gap = self._distance(pid, partner) if before else self._distance(partner, pid)
                want[pid] = centre - gap / 2 if before else centre + gap / 2
                break
        return want


class _Drawing:
    def __init__(self, pedigree: Pedigree, layout: _Layout, texts: Mapping[str, tuple[str, ...]],
                 marked: set[str], title: str | None, words: Labels) -> None:
        self.ped = pedigree
        self.lay = layout
        self.texts = texts
        self.marked = marked
        one_line = re.sub(r"[\r\n]+", " ", title or "")
        self.title = (clean_label(one_line, MAX_TITLE_CHARS) or (None,))[0]
        self.words = words
        # Room above the first row for a partner line drawn over the heads of others.
        self.top = MARGIN + (34.0 if self.title else 0.0) + 16 + HALF
        self.ancestors = self._ancestors()

    def y(self, pid: str) -> float:
        return self.top + ROW * self.lay.row_of[pid][0]

    def _ancestors(self) -> dict[str, frozenset[str]]:
        out: dict[str, frozenset[str]] = {}
        for p in self.ped.persons:
            if p.parents is None:
                out[p.id] = frozenset()
            else:
                father, mother = p.parents
                out[p.id] = out[father] | out[mother] | {father, mother}
        return out

    def _related(self, a: str, b: str) -> bool:
        return bool((self.ancestors[a] | {a}) & (self.ancestors[b] | {b}))

    def render(self) -> str:
        lay = self.lay
        lines = [self._couple(c, kids) for c, kids in lay.couples.items()]
        symbols = [self._person(p) for p in self.ped.persons]
        bottom = max((self.y(p.id) + HALF + 6 + LINE_H * len(self.texts[p.id]) for p in self.ped.persons),
                     default=self.top)
        right = max((lay.x[p] + lay.right[p] for p in lay.x), default=0.0) + MARGIN
        legend, legend_w, legend_h = self._legend(bottom + 18, right)
        width = max(right, legend_w + 2 * MARGIN, (text_width(self.title, 14) + 2 * MARGIN) if self.title else 0)
        height = bottom + 18 + legend_h + MARGIN
        name = self.title or self.words.t("ped_title", victim=self.ped.victim)
        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="pedigree" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label={quoteattr(name)} '
            f'font-family="sans-serif" font-size="{FONT:g}">',
            f"<title>{escape(name)}</title>",
            f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
        ]
        if self.title:
            out.append(f'<text x="{MARGIN:g}" y="{MARGIN + 14:g}" font-size="14" font-weight="bold">'
                       f"{escape(self.title)}</text>")
        out.append(f'<g class="lines" stroke="{INK}" stroke-width="1.5" fill="none">{"".join(lines)}</g>')
        out.extend(symbols)
        out.append(legend)
        out.append("</svg>")
        return "\n".join(out) + "\n"

    def _couple(self, couple: Couple, kids: list[str]) -> str:
        """The partner line (double when the partners are related by blood), the line
        down from it to the sibship line, and a drop line to each child."""
        lay = self.lay
        a, b = sorted(couple, key=lambda m: (lay.row_of[m][0], lay.x[m]))
        xa, ya, xb, yb = lay.x[a], self.y(a), lay.x[b], self.y(b)
        double = self._related(*couple)
        if ya == yb and abs(lay.row_of[a][1] - lay.row_of[b][1]) == 1:  # side by side
            offsets = (-2.5, 2.5) if double else (0.0,)
            partner = [f"M{xa + HALF:.1f},{ya + o:.1f}H{xb - HALF:.1f}" for o in offsets]
            mx, my = (xa + xb) / 2, ya
        elif ya == yb:  # others stand between them: the line goes over their heads
            over = ya - HALF - 12
            offsets = (0.0, -4.0) if double else (0.0,)
            partner = [f"M{xa:.1f},{ya - HALF:.1f}V{over + o:.1f}H{xb:.1f}V{yb - HALF:.1f}" for o in offsets]
            mx, my = (xa + xb) / 2, over
        else:  # partners of different generations (a marriage loop): straight across
            offsets = (-2.5, 2.5) if double else (0.0,)
            partner = [f"M{xa + o:.1f},{ya + HALF:.1f}L{xb + o:.1f},{yb - HALF:.1f}" for o in offsets]
            mx, my = (xa + xb) / 2, (ya + HALF + yb - HALF) / 2
        attrs = f"data-a={quoteattr(a)} data-b={quoteattr(b)}"
        cls = "partner consanguineous" if double else "partner"
        parts = [f'<path class="{cls}" {attrs} d="{d}"/>' for d in partner]
        yc = self.y(kids[0])
        sib = yc - HALF - 22
        xs = [lay.x[k] for k in kids]
        lo, hi = min([*xs, mx]), max([*xs, mx])
        d = f"M{mx:.1f},{my:.1f}V{sib:.1f}" + (f"M{lo:.1f},{sib:.1f}H{hi:.1f}" if hi > lo else "")
        parts.append(f'<path class="descent" {attrs} d="{d}"/>')
        for k, xk in zip(kids, xs, strict=True):
            parts.append(f'<path class="drop" data-child={quoteattr(k)} d="M{xk:.1f},{sib:.1f}V{yc - HALF:.1f}"/>')
        return "".join(parts)

    def _shape(self, sex: str, x: float, y: float, fill: str, extra: str = "") -> str:
        common = f'fill="{fill}" stroke="{INK}" stroke-width="1.5"{extra}'
        if sex == "M":
            return f'<rect x="{x - HALF:.1f}" y="{y - HALF:.1f}" width="{SIZE:g}" height="{SIZE:g}" {common}/>'
        if sex == "F":
            return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{HALF:g}" {common}/>'
        r = HALF * 1.2
        return (f'<polygon points="{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} '
                f'{x - r:.1f},{y:.1f}" {common}/>')

    def _person(self, p: Person) -> str:
        x, y = self.lay.x[p.id], self.y(p.id)
        victim = p.id in self.marked
        filled = p.typed and not victim
        kind = {"M": "male", "F": "female"}.get(p.sex, "unknown")
        cls = f"person {kind} {'typed' if filled else 'untyped'}" + (" victim" if victim else "")
        extra = f' class="{cls}" data-person={quoteattr(p.id)}'
        out = [self._shape(p.sex, x, y, INK if filled else "#ffffff", extra)]
        if victim:
            out.append(f'<path class="deceased" d="M{x - HALF - 6:.1f},{y + HALF + 6:.1f}'
                       f'L{x + HALF + 6:.1f},{y - HALF - 6:.1f}" stroke="{INK}" stroke-width="1.5"/>')
            out.append(self._arrow(x - HALF - 2, y + HALF - 7, p.id))
        for i, line in enumerate(self.texts[p.id]):
            out.append(f'<text x="{x:.1f}" y="{y + HALF + 6 + LINE_H * (i + 1) - 2:.1f}" text-anchor="middle">'
                       f"{escape(line)}</text>")
        return "".join(out)

    @staticmethod
    def _arrow(tip_x: float, tip_y: float, pid: str) -> str:
        """The proband's arrow, from the lower left, its head at (tip_x, tip_y); flatter
        than the deceased slash so the two stay apart."""
        return (f'<g class="victim-arrow" data-person={quoteattr(pid)} stroke="{INK}" stroke-width="1.5" '
                f'fill="{INK}"><path d="M{tip_x - ARROW + 2:.1f},{tip_y + 11:.1f}L{tip_x - 4:.1f},{tip_y + 2:.1f}"/>'
                f'<path d="M{tip_x:.1f},{tip_y:.1f}L{tip_x - 9:.1f},{tip_y - 1:.1f}'
                f'L{tip_x - 5:.1f},{tip_y + 7:.1f}Z" stroke-width="1"/></g>')

    def _legend(self, top: float, right: float) -> tuple[str, float, float]:
        w = self.words
        sexes = {p.sex for p in self.ped.persons}
        items: list[tuple[str, str]] = [("M", w.t("ped_male")), ("F", w.t("ped_female"))]
        if sexes - {"M", "F"}:
            items.append(("U", w.t("ped_unknown")))
        items += [("typed", w.t("ped_typed")), ("untyped", w.t("ped_untyped")), ("victim", w.t("ped_victim"))]
        if any(self._related(*c) for c in self.lay.couples):
            items.append(("double", w.t("ped_consanguineous")))
        limit = max(right, 480.0) - MARGIN
        parts, x, y = [], MARGIN, top
        widest = 0.0
        for key, text in items:
            size, lead = 14.0, (16.0 if key == "victim" else 0.0)  # lead: room for the arrow
            need = lead + size + 6 + text_width(text, FONT) + 18
            if x > MARGIN and x + need > limit:
                x, y = MARGIN, y + 22
            sx = x + lead
            cx, cy = sx + size / 2, y + size / 2
            if key in ("M", "F", "U"):
                parts.append(self._mini(key, cx, cy, "#ffffff"))
            elif key in ("typed", "untyped"):
                parts.append(self._mini("M", cx, cy, INK if key == "typed" else "#ffffff"))
            elif key == "victim":
                parts.append(self._mini("M", cx, cy, "#ffffff"))
                parts.append(f'<path d="M{cx - 10:.1f},{cy + 10:.1f}L{cx + 10:.1f},{cy - 10:.1f}" '
                             f'stroke="{INK}" stroke-width="1.2"/>')
                parts.append(f'<path d="M{x:.1f},{cy + 9:.1f}L{sx - 2:.1f},{cy + 3:.1f}" stroke="{INK}" '
                             f'stroke-width="1.2"/>')
            else:
                for off in (-2.0, 2.0):
                    parts.append(f'<path d="M{sx:.1f},{cy + off:.1f}H{sx + size:.1f}" stroke="{INK}" '
                                 f'stroke-width="1.2"/>')
            parts.append(f'<text x="{sx + size + 6:.1f}" y="{cy + 4:.1f}">{escape(text)}</text>')
            x += need
            widest = max(widest, x - MARGIN)
        body = "".join(parts)
        return f'<g class="legend">{body}</g>', widest, y + 22 - top

    @staticmethod
    def _mini(sex: str, cx: float, cy: float, fill: str) -> str:
        h = 7.0
        common = f'fill="{fill}" stroke="{INK}" stroke-width="1.2"'
        if sex == "M":
            return f'<rect x="{cx - h:.1f}" y="{cy - h:.1f}" width="{2 * h:g}" height="{2 * h:g}" {common}/>'
        if sex == "F":
            return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{h:g}" {common}/>'
        return (f'<polygon points="{cx:.1f},{cy - h - 1:.1f} {cx + h + 1:.1f},{cy:.1f} {cx:.1f},{cy + h + 1:.1f} '
                f'{cx - h - 1:.1f},{cy:.1f}" {common}/>')
