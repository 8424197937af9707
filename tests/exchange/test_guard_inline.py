"""`guard_xml.InlineTexts`, which measures only the pieces long enough to matter, against
the plain scan it replaced (every piece stripped of its markup, then split): for any
sheet XML and any way of cutting it into scans, both refuse the same inline strings."""

from __future__ import annotations

import random

import pytest

from chosei.exchange.guard_xml import (
    _HARD_RUN_BYTES,
    _IS_END,
    _IS_HINT,
    _NOT_IS,
    Hostile,
    InlineTexts,
    _check_text,
)
from chosei.exchange.limits import MAX_TEXT_CHARS


class PlainInlineTexts:
    """The oracle: the scan as it was written first."""

    def __init__(self) -> None:
        self._open = b""

    def feed(self, scan: bytes) -> None:
        if not self._open and _IS_HINT.search(scan) is None:
            return
        pieces = _IS_END.split(_NOT_IS.sub(b"", scan))
        pieces[0] = self._open + pieces[0]
        last = pieces.pop()
        start = last.rfind(b"<")
        self._open = last[start:] if start >= 0 else b""
        if len(self._open) > _HARD_RUN_BYTES:
            raise Hostile("text")
        for text in pieces:
            if len(text) > MAX_TEXT_CHARS:
                _check_text(text[text.find(b">", text.rfind(b"<")) + 1:])


def _outcome(cls: type, parts: list[bytes]) -> str:
    scan = cls()
    try:
        for part in parts:
            scan.feed(part)
    except Hostile:
        return "refused"
    return "accepted"


def _cell(rng: random.Random, n: int, prefix: str) -> bytes:
    """An inline-string cell of `n` characters, in one run or split over rich-text runs."""
    p = f"{prefix}:" if prefix else ""
    text = "가" * (n // 3) + "a" * (n - n // 3)
    if rng.random() < 0.5:
        body = f"<{p}t>{text}</{p}t>"
    else:
        cut = rng.randrange(len(text) + 1)
        body = (f"<{p}r><{p}rPr><{p}b/></{p}rPr><{p}t>{text[:cut]}</{p}t></{p}r>"
                f"<{p}r><{p}t xml:space=\"preserve\">{text[cut:]}</{p}t></{p}r>")
    return f'<{p}c r="A1" t="inlineStr"><{p}is>{body}</{p}is></{p}c><{p}c r="B1"><{p}v>1</{p}v></{p}c>'.encode()


# The tag boundaries a scan may end at (the guard cuts pieces after a `>`).
def _cuts(xml: bytes, rng: random.Random, k: int) -> list[bytes]:
    ends = [i + 1 for i, b in enumerate(xml) if b == ord(">")]
    points = sorted(rng.sample(ends, min(k, len(ends))))
    out, last = [], 0
    for p in points:
        out.append(xml[last:p])
        last = p
    out.append(xml[last:])
    return out


@pytest.mark.parametrize("seed", range(12))
def test_inline_texts_agree_with_the_plain_scan(seed: int) -> None:
    rng = random.Random(seed)
    prefix = "x" if seed % 3 == 0 else ""
    lengths = [rng.choice([5, 200, MAX_TEXT_CHARS - 1, MAX_TEXT_CHARS, MAX_TEXT_CHARS + 1])
               for _ in range(6)]
    xml = b"<worksheet><sheetData><row>" + b"".join(_cell(rng, n, prefix) for n in lengths) + \
        b"</row></sheetData></worksheet>"
    for k in (0, 1, 3, 40):
        parts = _cuts(xml, rng, k)
        assert _outcome(InlineTexts, parts) == _outcome(PlainInlineTexts, parts)
    # Pinned: any cell past the limit is refused, whoever cuts the scans.
    want = "refused" if max(lengths) > MAX_TEXT_CHARS else "accepted"
    assert _outcome(InlineTexts, [xml]) == want


def test_a_long_run_of_numbers_after_the_last_inline_string_is_no_text() -> None:
    """Only an inline string still open is carried from one scan to the next."""
    rng = random.Random(1)
    numbers = b"".join(b'<c r="B%d"><v>%d</v></c>' % (i, i) for i in range(1, 60_000))
    parts = [_cell(rng, 10, ""), numbers, numbers, b"</row></sheetData></worksheet>"]
    assert _outcome(InlineTexts, parts) == _outcome(PlainInlineTexts, parts) == "accepted"
