"""Controlled vocabularies: canonical English codes and the Korean and Japanese terms for them.

Each code has one preferred label per language (what an export and its drop-down lists
write; in English the label is the code), from the message catalogue (`chosei.i18n`: the
code is the msgid, the vocabulary's name its context; docs/terms.md says where each term
comes from), and any number of accepted terms, listed here; the preferred label is
accepted too, and a label an older version wrote stays among the accepted terms, so an
older workbook still imports. Matching
ignores case, width (NFKC), spaces, hyphens, apostrophes, brackets and middle dots, so
`Son's son`, `sons son` and `son’s son` are one term.

A term that hides what DNA work needs to know (조카: a brother's or a sister's child, so
Y-STR or mtDNA) is refused with the candidates, never guessed; a Korean or Japanese term
gets them in its own language (형제의 아들 (brother's son) …).
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence

from chosei import i18n
from chosei.i18n import N_, NP_, gettext_in, pgettext_in
from chosei.text import TextError, check_id
from chosei.text import is_plain_id as is_plain_id  # an ID's rule lives in chosei.text

LANGS = ("en", "ko", "ja")


class VocabError(ValueError):
    """A term that is not in a vocabulary; the message (in the current language) says what
    to write instead. For a term the vocabulary does not know, `term` is the term and
    `suggestion` the closest (term, meaning) or None, for a caller that words it its own way."""

    def __init__(self, message: str, *, term: str | None = None,
                 suggestion: tuple[str, str] | None = None) -> None:
        super().__init__(message)
        self.term = term
        self.suggestion = suggestion


_IGNORED = re.compile(r"[\s'’‘ʼ`´\-‐‑‒–—―−_()\[\],.·・ㆍ]")


def _key(term: str) -> str:
    return _IGNORED.sub("", unicodedata.normalize("NFKC", term).casefold())


def _language(term: str) -> str:
    """ko for a term in hangul, ja for one in kana or kanji, else en."""
    if re.search(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]", term):
        return "ko"
    if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", term):
        return "ja"
    return "en"


def _separator(lang: str) -> str:
    """What a list puts between its items in `lang` (", ", "、")."""
    return pgettext_in(lang, "list separator", ", ")


def _or_list(items: Sequence[str], lang: str = "en") -> str:
    """`a, b or c` in `lang`."""
    if len(items) == 1:
        return items[0]
    return gettext_in(lang, "{items} or {last}").format(items=_separator(lang).join(items[:-1]), last=items[-1])


def _speaking(term: str) -> str:
    """The language a message about `term` is given in: a Korean or Japanese term's own
    (the workbook's, where it came from), else the current language."""
    lang = _language(term)
    return i18n.current() if lang == "en" else lang


# An ambiguous term's refusal, keyed by the reason the vocabulary gives: {term},
# {within} (a path holding it) and {choices} are filled in.
_REFUSALS = {
    "hides the line": (N_("'{term}' hides the line: write {choices}"),
                       N_("'{term}' in '{within}' hides the line: write {choices}")),
    "hides the sex": (N_("'{term}' hides the sex: write {choices}"),
                      N_("'{term}' in '{within}' hides the sex: write {choices}")),
}


def _refusal(term: str, why: str, choices: str, lang: str, within: str | None = None) -> str:
    """Why `term` is refused and what to write instead, in `lang`."""
    plain, inside = _REFUSALS[why]
    return gettext_in(lang, plain if within is None else inside).format(term=term, within=within,
                                                                       choices=choices)


class Vocabulary:
    """One controlled vocabulary.

    `terms` maps each code to the terms accepted for it per language; the preferred
    labels come from the catalogue (`label`). `ambiguous` maps a term to (why, candidate
    codes) for terms that must be refused.
    """

    def __init__(
        self,
        name: str,
        noun: str,
        terms: Mapping[str, Mapping[str, Sequence[str]]],
        ambiguous: Mapping[str, tuple[str, Sequence[str]]] | None = None,
    ) -> None:
        self.name = name
        self.noun = noun
        self.codes: tuple[str, ...] = tuple(terms)
        self._labels = frozenset(terms)
        self._translated: dict[tuple[str, str], str] = {}
        self._with_labels = False  # the catalogue's labels not yet in the lookup
        self._lookup: dict[str, str] = {}
        self._shown: dict[str, str] = {}
        for code, by_lang in terms.items():
            for term in (code, *by_lang.get("en", ()), *by_lang["ko"], *by_lang["ja"]):
                self._add(_key(term), code, term)
        self._ambiguous: dict[str, tuple[str, tuple[str, ...]]] = {}
        for term, (why, candidates) in (ambiguous or {}).items():
            key = _key(term)
            if key in self._lookup or not all(self._is_code(c) for c in candidates):
                raise ValueError(f"{name}: ambiguous term {term!r} clashes or names unknown codes")
            self._ambiguous[key] = (why, tuple(candidates))
            self._shown[key] = term

    def _terms(self) -> dict[str, str]:
        """Every accepted term's key → its code: the terms listed, and the catalogue's
        Korean and Japanese labels (read when a term is first looked up, not at import)."""
        if not self._with_labels:
            for code in self.codes:
                for lang in LANGS[1:]:
                    term = self.label(code, lang)
                    if _key(term) in self._ambiguous:
                        raise ValueError(f"{self.name}: the label {term!r} of {code} is an ambiguous term")
                    self._add(_key(term), code, term)
            self._with_labels = True
        return self._lookup

    def _is_code(self, code: str) -> bool:
        return code in self._labels

    def _choices(self, term: str, candidates: Sequence[str]) -> str:
        """The codes to write instead of an ambiguous `term`, in the language of the
        message about it (Korean or Japanese labels with the code after each), so the fix
        can be typed in the workbook's language."""
        lang = _speaking(term)
        if lang == "en":
            return _or_list(candidates)
        return _or_list([self._shown_with_code(c, lang) for c in candidates], lang)

    def _shown_with_code(self, code: str, lang: str) -> str:
        """`code`'s label in `lang` with the code after it (`남 (M)`); the code alone in
        English or when the label is the code."""
        label = self.label(code, lang)
        return code if label == code else f"{label} ({code})"

    def _listed(self, codes: Sequence[str], lang: str) -> str:
        return _separator(lang).join(self._shown_with_code(c, lang) for c in codes)

    def _add(self, key: str, code: str, term: str) -> None:
        if self._lookup.get(key, code) != code:
            raise ValueError(f"{self.name}: {term!r} means both {self._lookup[key]} and {code}")
        self._lookup[key] = code
        self._shown.setdefault(key, term)

    def __contains__(self, code: object) -> bool:
        return code in self._labels

    def __repr__(self) -> str:
        return f"Vocabulary({self.name!r}, {self.codes!r})"

    def parse(self, value: object) -> str:
        """The code for a term in any of the three languages."""
        if type(value) is str and value in self._labels:
            return value  # a code is its own term
        shown = "" if value is None else str(value).strip()
        key = _key(shown)
        if key in self._terms():
            return self._lookup[key]
        if key in self._ambiguous:
            why, candidates = self._ambiguous[key]
            raise VocabError(_refusal(shown, why, self._choices(shown, candidates), _speaking(shown)))
        hint = self._hint(key)
        raise VocabError(self._unknown(shown, hint), term=shown, suggestion=hint)

    def _unknown(self, shown: str, hint: tuple[str, str] | None) -> str:
        """Why `shown` is not a term, with the closest term and what to write, in the
        current language (a workbook's, while its import speaks it)."""
        lang = i18n.current()
        values = {"term": shown, "noun": pgettext_in(lang, "vocabulary", self.noun),
                  "expected": self._expected(lang)}
        if hint is None:
            return gettext_in(lang, "'{term}' is not {noun}; {expected}").format(**values)
        suggestion, meaning = hint
        if suggestion == meaning:
            return gettext_in(lang, "'{term}' is not {noun} (did you mean {suggestion}?); {expected}").format(
                suggestion=suggestion, **values)
        return gettext_in(lang, "'{term}' is not {noun} (did you mean {suggestion}: {meaning}?); {expected}").format(
            suggestion=suggestion, meaning=meaning, **values)

    def _expected(self, lang: str) -> str:
        return gettext_in(lang, "expected one of: {choices}").format(choices=self._listed(self.codes, lang))

    def _hint(self, key: str) -> tuple[str, str] | None:
        """The closest term to `key`, and what it means (its code or candidate codes)."""
        if len(key) < 2:
            return None
        close = difflib.get_close_matches(key, [*self._terms(), *self._ambiguous], n=1,
                                          cutoff=0.6)
        if not close:
            return None
        if close[0] in self._ambiguous:
            return self._shown[close[0]], _or_list(self._ambiguous[close[0]][1])
        return self._shown[close[0]], self._lookup[close[0]]

    def label(self, code: str, lang: str) -> str:
        """The term an export writes for `code` in `lang` (en, ko or ja)."""
        if lang not in LANGS:
            raise VocabError(i18n._("'{lang}' is not a language; expected one of: {languages}").format(
                lang=lang, languages=", ".join(LANGS)))
        if code not in self._labels:
            raise VocabError(i18n._("'{code}' is not {noun} code; expected one of: {codes}").format(
                code=code, noun=i18n.pgettext("vocabulary", self.noun), codes=", ".join(self.codes)))
        if lang == "en":
            return code
        label = self._translated.get((code, lang))
        if label is None:
            label = self._translated[(code, lang)] = pgettext_in(lang, self.name, code)
        return label

    def choices(self, lang: str) -> list[str]:
        """The labels for a drop-down list, in code order."""
        return [self.label(code, lang) for code in self.codes]


_SHARE = frozenset(_key(t) for t in ("share", "shared", "공유", "제공", "共有", "提供"))


class ConsentScope(Vocabulary):
    """Consent scopes: `analysis` and `share:<nationality>`, several in one cell.

    `parse` reads a whole cell (`analysis;share:KR`, also `,` or `、` between terms)
    into a sorted tuple of codes; `parse_term` reads one term.
    """

    def parse(self, value: object) -> tuple[str, ...]:  # type: ignore[override]  # a scope cell holds several terms
        text = "" if value is None else unicodedata.normalize("NFKC", str(value))
        return tuple(sorted({self.parse_term(t) for t in re.split(r"[;,、\n]", text)
                             if t.strip()}))

    def parse_term(self, value: object) -> str:
        shown = str(value).strip()
        text = unicodedata.normalize("NFKC", shown)
        head, colon, tail = text.partition(":")
        if colon and _key(head) in _SHARE:
            try:
                return f"share:{NATIONALITY.parse(tail)}"
            except VocabError:
                pass
        return super().parse(shown)

    def format(self, codes: Sequence[str], lang: str) -> str:
        """A cell holding several scopes, as an export writes it."""
        return ";".join(self.label(code, lang) for code in sorted(codes))


class RelationshipVocabulary(Vocabulary):
    """Relationships: the terms, and any relationship path (`chosei.kinship.paths`).

    `parse` reads a term in any language, or a path of terms joined by the language's
    possessive: ``brother's son's son``, ``형제의 아들의 아들``, ``兄弟の息子の息子``,
    ``삼촌의 아들`` (a term may stand for several steps). The code is the canonical
    English path. `label` writes a path back in a language: its term when it has one,
    else the longest terms from the victim joined by 의 / の, so a re-import gives the
    same path.
    """

    _POSSESSIVE = {"en": "'s ", "ko": "의 ", "ja": "の"}
    _SPLIT = re.compile(r"(['’‘ʼ`´]s(?=\s|$)|의|の)")

    # the steps of a path (`chosei.kinship.paths.STEPS`, not imported: that loads numpy)
    STEPS = frozenset({"father", "mother", "son", "daughter", "brother", "sister",
                       "half-brother (paternal)", "half-brother (maternal)",
                       "half-sister (paternal)", "half-sister (maternal)"})

    def _is_code(self, code: str) -> bool:
        return code in self._labels or all(step in self.STEPS for step in code.split("'s "))

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self._is_code(code)

    def _expected(self, lang: str) -> str:
        # the contract's short list (up to grandchildren and nephews); the kin terms for
        # grandparents, uncles, cousins ... are in docs/relationships.md
        basic = [c for c in self.codes if c.count("'s ") == 0
                 or c.count("'s ") == 1 and not c.startswith(("father's", "mother's"))]
        return gettext_in(lang, "expected one of: {choices}, a Korean or Japanese term that fixes the line, "
                                "or a path of steps joined by 's such as brother's son's son").format(
            choices=self._listed(basic, lang))

    def parse(self, value: object) -> str:
        if type(value) is str and value in self._labels:
            return value
        shown = "" if value is None else str(value).strip()
        key = _key(shown)
        if key in self._terms() or key in self._ambiguous or not self._SPLIT.search(shown):
            return super().parse(value)
        steps: list[str] = []
        for code in self._segments(shown):
            if code in ("spouse", "other"):
                lang = i18n.current()
                raise VocabError(gettext_in(lang, "'{term}': {code} cannot be part of a relationship path")
                                 .format(term=shown, code=self._shown_with_code(code, lang)))
            steps += code.split("'s ")
        from chosei.kinship.errors import KinshipInputError
        from chosei.kinship.paths import path_of

        try:
            return path_of(steps, shown).text
        except KinshipInputError as exc:
            raise VocabError(str(exc)) from None

    def _segments(self, shown: str) -> list[str]:
        """The codes of the terms `shown` joins with possessives, longest terms first."""
        parts = self._SPLIT.split(shown)
        pieces, seps = parts[0::2], parts[1::2]
        codes, i = [], 0
        while i < len(pieces):
            for j in range(len(pieces), i, -1):
                text = "".join(p + s for p, s in zip(pieces[i:j], [*seps[i:j - 1], ""], strict=True))
                if _key(text) in self._terms():
                    codes.append(self._lookup[_key(text)])
                    i = j
                    break
            else:
                piece = pieces[i].strip()
                if _key(piece) in self._ambiguous:
                    why, candidates = self._ambiguous[_key(piece)]
                    raise VocabError(_refusal(piece, why, self._choices(piece, candidates), _speaking(piece),
                                              within=shown))
                lang = i18n.current()
                raise VocabError(gettext_in(lang, "'{term}' in '{within}' is not {noun}; a relationship path joins "
                                                  "terms with 's, 의 or の, e.g. brother's son's son, 형제의 아들의 "
                                                  "아들, 兄弟の息子の息子").format(
                    term=piece, within=shown, noun=pgettext_in(lang, "vocabulary", self.noun)))
        return codes

    def label(self, code: str, lang: str) -> str:
        if code in self._labels or lang not in LANGS or not self._is_code(code):
            return super().label(code, lang)
        if lang == "en":
            return code
        steps, out, i = code.split("'s "), [], 0
        while i < len(steps):
            j = next(j for j in range(len(steps), i, -1) if "'s ".join(steps[i:j]) in self._labels)
            out.append(super().label("'s ".join(steps[i:j]), lang))
            i = j
        return self._POSSESSIVE[lang].join(out)


def normalize_id(value: object, *, check: bool = True) -> str | None:
    """An ID as text: trimmed, NFKC, dashes unified; a number typed in Excel (12.0) is `12`.
    Raises `VocabError` for a text that is no ID (`chosei.text.check_id` says why);
    unless not `check`: then the text is only normalised (its spaces collapsed), for a
    cell that may yet turn out to be a victim's name (`exchange.linking`), and the
    model it goes to checks it after."""
    if type(value) is str and is_plain_id(value):
        return value
    if value is None:
        return None
    if isinstance(value, bool):
        raise VocabError(i18n._("'{value}' is not an ID: write the ID as text or a number").format(value=value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise VocabError(i18n._("'{value}' is not an ID: write the ID as text or a number").format(value=value))
        return str(int(value)) if value.is_integer() else repr(value)
    return _normalize_text_id(str(value), check=check)


def _normalize_text_id(text: str, *, check: bool = True) -> str | None:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    # A Japanese IME types ー (U+30FC) for the hyphen key; between Latin letters or
    # digits it can only be a hyphen.
    text = re.sub(r"(?<=[0-9A-Za-z])ー(?=[0-9A-Za-z])", "-", text)
    if not check:
        return " ".join(text.split()) or None
    text = text.strip()
    if not text:
        return None
    try:
        return check_id(text)
    except TextError as exc:
        raise VocabError(str(exc)) from None


# --- The vocabularies -------------------------------------------------------------------
# Each code: en = extra English terms; ko, ja = accepted terms (the catalogue gives the
# label an export writes, pgettext(vocabulary name, code): keep an old label here when
# changing it there, so workbooks written with it still import).

NATIONALITY = Vocabulary("nationality", NP_("vocabulary", "a nationality"), {
    "KR": {"en": ("KOR", "Korea", "Korean"),
           "ko": ("한국", "조선", "대한민국", "한국인", "조선인"),
           "ja": ("韓国", "朝鮮", "韓国人", "朝鮮人", "大韓民国")},
    "JP": {"en": ("JPN", "Japan", "Japanese"),
           "ko": ("일본", "일본인"),
           "ja": ("日本", "日本人")},
})

SEX = Vocabulary("sex", NP_("vocabulary", "a sex"), {
    "M": {"en": ("male", "man"), "ko": ("남", "남성", "남자"), "ja": ("男", "男性")},
    "F": {"en": ("female", "woman"), "ko": ("여", "여성", "여자"), "ja": ("女", "女性")},
    "U": {"en": ("unknown",), "ko": ("미상", "불명"), "ja": ("不明",)},
})

_LINE = "hides the line"
_GREAT_GRANDCHILDREN = tuple(f"{a}'s {b}'s {c}" for a in ("son", "daughter")
                             for b in ("son", "daughter") for c in ("son", "daughter"))
_COUSINS = tuple(f"{parent}'s {sibling}'s {child}" for parent in ("father", "mother")
                 for sibling in ("brother", "sister") for child in ("son", "daughter"))
_SEX = "hides the sex"

RELATIONSHIP = RelationshipVocabulary("relationship", NP_("vocabulary", "a relationship"), {
    "son": {"en": (),
            "ko": ("아들", "장남", "차남", "삼남", "사남", "오남", "이남"),
            "ja": ("息子", "長男", "次男", "二男", "三男", "四男", "五男")},
    "daughter": {"en": (),
                 "ko": ("딸", "장녀", "차녀", "삼녀", "사녀", "이녀"),
                 "ja": ("娘", "長女", "次女", "二女", "三女", "四女")},
    "father": {"en": (), "ko": ("아버지", "부친", "부"), "ja": ("父", "実父", "父親")},
    "mother": {"en": (), "ko": ("어머니", "모친", "모"), "ja": ("母", "実母", "母親")},
    "brother": {"en": ("full brother",),
                "ko": ("형제", "형", "오빠", "남동생", "친형", "친오빠", "친남동생"),
                "ja": ("兄弟", "兄", "弟", "実兄", "実弟")},
    "sister": {"en": ("full sister",),
               "ko": ("자매", "누나", "언니", "여동생", "친누나", "친언니", "친여동생"),
               "ja": ("姉妹", "姉", "妹", "実姉", "実妹")},
    # 이복 (異腹, another womb) and 異母 share the father; 이부 and 異父 share the mother.
    "half-brother (paternal)": {
        "en": ("paternal half-brother",),
        "ko": ("이복형제", "이복형", "이복오빠", "이복남동생", "배다른 형제"),
        "ja": ("異母兄弟", "異母兄", "異母弟")},
    "half-brother (maternal)": {
        "en": ("maternal half-brother",),
        "ko": ("이부형제", "이부형", "이부오빠", "이부남동생", "씨다른 형제"),
        "ja": ("異父兄弟", "異父兄", "異父弟")},
    "half-sister (paternal)": {
        "en": ("paternal half-sister",),
        "ko": ("이복자매", "이복누나", "이복언니", "이복여동생"),
        "ja": ("異母姉妹", "異母姉", "異母妹")},
    "half-sister (maternal)": {
        "en": ("maternal half-sister",),
        "ko": ("이부자매", "이부누나", "이부언니", "이부여동생"),
        "ja": ("異父姉妹", "異父姉", "異父妹")},
    "son's son": {"en": (), "ko": ("친손자", "아들의 아들"), "ja": ("息子の息子",)},
    "son's daughter": {"en": (), "ko": ("친손녀", "아들의 딸"), "ja": ("息子の娘",)},
    "daughter's son": {"en": (), "ko": ("외손자", "딸의 아들"), "ja": ("娘の息子",)},
    "daughter's daughter": {"en": (), "ko": ("외손녀", "딸의 딸"), "ja": ("娘の娘",)},
    "brother's son": {
        "en": (),
        "ko": ("형제의 아들", "형의 아들", "오빠의 아들", "남동생의 아들"),
        "ja": ("兄弟の息子", "兄の息子", "弟の息子")},
    "brother's daughter": {
        "en": (),
        "ko": ("형제의 딸", "형의 딸", "오빠의 딸", "남동생의 딸", "친조카딸"),
        "ja": ("兄弟の娘", "兄の娘", "弟の娘")},
    # 생질 (甥姪) is a sister's child in Korean kinship terms.
    "sister's son": {
        "en": (),
        "ko": ("생질", "자매의 아들", "누나의 아들", "언니의 아들", "여동생의 아들"),
        "ja": ("姉妹の息子", "姉の息子", "妹の息子")},
    "sister's daughter": {
        "en": (),
        "ko": ("생질녀", "자매의 딸", "누나의 딸", "언니의 딸", "여동생의 딸"),
        "ja": ("姉妹の娘", "姉の娘", "妹の娘")},
    # Kin terms that fix the line, from the standard Korean terms of address and reference
    # (국립국어원, 표준 언어 예절, 2011) and Japanese 続柄 usage; docs/relationships.md lists
    # them with their sources. A code with no Japanese term has its possessive form first.
    "father's father": {"en": ("paternal grandfather",),
                        "ko": ("친할아버지", "조부", "친조부"),
                        "ja": ("父方の祖父", "父の父")},
    "father's mother": {"en": ("paternal grandmother",),
                        "ko": ("친할머니", "조모", "친조모"),
                        "ja": ("父方の祖母", "父の母")},
    "mother's father": {"en": ("maternal grandfather",),
                        "ko": ("외할아버지", "외조부"),
                        "ja": ("母方の祖父", "外祖父", "母の父")},
    "mother's mother": {"en": ("maternal grandmother",),
                        "ko": ("외할머니", "외조모"),
                        "ja": ("母方の祖母", "外祖母", "母の母")},
    "father's father's father": {"en": (), "ko": ("증조할아버지", "증조부"), "ja": ("父の父の父",)},
    "father's father's mother": {"en": (), "ko": ("증조할머니", "증조모"), "ja": ("父の父の母",)},
    # 큰아버지 (백부) is the father's elder brother, 작은아버지 (숙부) a younger one, 삼촌 an
    # unmarried one; in Korean 백부/숙부 are always the father's side (외숙부: the mother's).
    "father's brother": {"en": ("paternal uncle",),
                         "ko": ("삼촌", "큰아버지", "작은아버지", "백부", "숙부", "친삼촌"),
                         "ja": ("父方のおじ", "父方の伯父", "父方の叔父")},
    "father's sister": {"en": ("paternal aunt",), "ko": ("고모", "고모님"),
                        "ja": ("父方のおば", "父方の伯母", "父方の叔母")},
    "mother's brother": {"en": ("maternal uncle",), "ko": ("외삼촌", "외숙부", "외숙"),
                         "ja": ("母方のおじ", "母方の伯父", "母方の叔父")},
    "mother's sister": {"en": ("maternal aunt",), "ko": ("이모", "이모님"),
                        "ja": ("母方のおば", "母方の伯母", "母方の叔母")},
    "father's father's brother": {"en": (), "ko": ("종조부", "큰할아버지", "작은할아버지"),
                                  "ja": ("父の父の兄弟",)},
    "father's father's sister": {"en": (), "ko": ("대고모", "왕고모"), "ja": ("父の父の姉妹",)},
    # 당숙 (堂叔) = 종숙 (從叔): the father's paternal first cousin.
    "father's father's brother's son": {"en": (), "ko": ("당숙", "종숙"),
                                        "ja": ("父の父の兄弟の息子",)},
    # 종질 (從姪): the son of a paternal first cousin (사촌 형제의 아들).
    "father's brother's son's son": {"en": (), "ko": ("종질",), "ja": ("父方のおじの息子の息子",)},
    "father's brother's son's daughter": {"en": (), "ko": ("종질녀",),
                                          "ja": ("父方のおじの息子の娘",)},
    # 종손 (從孫): a brother's grandson through his son (not 宗孫, the main line's eldest).
    "brother's son's son": {"en": (), "ko": ("종손", "종손자"), "ja": ("兄弟の息子の息子",)},
    "brother's son's daughter": {"en": (), "ko": ("종손녀",), "ja": ("兄弟の息子の娘",)},
    # 증손 (曾孫): 손자의 아들, the son's son's son in the standard dictionary.
    "son's son's son": {"en": (), "ko": ("증손자", "증손", "친증손자"), "ja": ("息子の息子の息子",)},
    "son's son's daughter": {"en": (), "ko": ("증손녀", "친증손녀"), "ja": ("息子の息子の娘",)},
    "spouse": {"en": ("wife", "husband"),
               "ko": ("배우자", "아내", "처", "부인", "남편"),
               "ja": ("配偶者", "妻", "夫")},
    "other": {"en": (), "ko": ("기타",), "ja": ("その他",)},
}, ambiguous={
    "조카": (_LINE, ("brother's son", "brother's daughter", "sister's son", "sister's daughter")),
    "조카딸": (_LINE, ("brother's daughter", "sister's daughter")),
    # 질녀 (姪女) is glossed as 조카딸 in the standard dictionary: either line.
    "질녀": (_LINE, ("brother's daughter", "sister's daughter")),
    "친조카": (_SEX, ("brother's son", "brother's daughter")),
    "손자": (_LINE, ("son's son", "daughter's son")),
    "손녀": (_LINE, ("son's daughter", "daughter's daughter")),
    "손주": (_LINE, ("son's son", "son's daughter", "daughter's son", "daughter's daughter")),
    "甥": (_LINE, ("brother's son", "sister's son")),
    "甥っ子": (_LINE, ("brother's son", "sister's son")),
    "姪": (_LINE, ("brother's daughter", "sister's daughter")),
    "姪っ子": (_LINE, ("brother's daughter", "sister's daughter")),
    "孫": (_LINE, ("son's son", "son's daughter", "daughter's son", "daughter's daughter")),
    "孫息子": (_LINE, ("son's son", "daughter's son")),
    "孫娘": (_LINE, ("son's daughter", "daughter's daughter")),
    "nephew": (_LINE, ("brother's son", "sister's son")),
    "niece": (_LINE, ("brother's daughter", "sister's daughter")),
    "grandson": (_LINE, ("son's son", "daughter's son")),
    "granddaughter": (_LINE, ("son's daughter", "daughter's daughter")),
    "grandchild": (_LINE, ("son's son", "son's daughter", "daughter's son",
                           "daughter's daughter")),
    "half-brother": (_LINE, ("half-brother (paternal)", "half-brother (maternal)")),
    "할아버지": (_LINE, ("father's father", "mother's father")),
    "할머니": (_LINE, ("father's mother", "mother's mother")),
    "祖父": (_LINE, ("father's father", "mother's father")),
    "祖母": (_LINE, ("father's mother", "mother's mother")),
    "grandfather": (_LINE, ("father's father", "mother's father")),
    "grandmother": (_LINE, ("father's mother", "mother's mother")),
    "伯父": (_LINE, ("father's brother", "mother's brother")),
    "叔父": (_LINE, ("father's brother", "mother's brother")),
    "おじ": (_LINE, ("father's brother", "mother's brother")),
    "伯母": (_LINE, ("father's sister", "mother's sister")),
    "叔母": (_LINE, ("father's sister", "mother's sister")),
    "おば": (_LINE, ("father's sister", "mother's sister")),
    "uncle": (_LINE, ("father's brother", "mother's brother")),
    "aunt": (_LINE, ("father's sister", "mother's sister")),
    "친사촌": (_SEX, ("father's brother's son", "father's brother's daughter")),
    "고종사촌": (_SEX, ("father's sister's son", "father's sister's daughter")),
    "고종": (_SEX, ("father's sister's son", "father's sister's daughter")),
    "외사촌": (_SEX, ("mother's brother's son", "mother's brother's daughter")),
    "이종사촌": (_SEX, ("mother's sister's son", "mother's sister's daughter")),
    "이종": (_SEX, ("mother's sister's son", "mother's sister's daughter")),
    **dict.fromkeys(("사촌", "いとこ", "従兄弟", "従姉妹", "cousin", "first cousin"), (_LINE, _COUSINS)),
    **dict.fromkeys(("従兄", "従弟"), (_LINE, _COUSINS[0::2])),
    **dict.fromkeys(("従姉", "従妹"), (_LINE, _COUSINS[1::2])),
    "内孫": (_SEX, ("son's son", "son's daughter")),
    "外孫": (_SEX, ("daughter's son", "daughter's daughter")),
    **dict.fromkeys(("曾孫", "曽孫", "ひ孫", "great-grandchild"), (_LINE, _GREAT_GRANDCHILDREN)),
    "great-grandson": (_LINE, _GREAT_GRANDCHILDREN[0::2]),
    "大姪": (_LINE, ("brother's son's daughter", "brother's daughter's daughter",
                    "sister's son's daughter", "sister's daughter's daughter")),
    **dict.fromkeys(("great-nephew", "大甥"), (_LINE, ("brother's son's son", "brother's daughter's son",
                             "sister's son's son", "sister's daughter's son"))),
    "half-sister": (_LINE, ("half-sister (paternal)", "half-sister (maternal)")),
    "이복동생": (_SEX, ("half-brother (paternal)", "half-sister (paternal)")),
    "이부동생": (_SEX, ("half-brother (maternal)", "half-sister (maternal)")),
    "동생": (_SEX, ("brother", "sister")),
    "sibling": (_SEX, ("brother", "sister")),
    "자녀": (_SEX, ("son", "daughter")),
    "자식": (_SEX, ("son", "daughter")),
    "子": (_SEX, ("son", "daughter")),
    "子供": (_SEX, ("son", "daughter")),
    "child": (_SEX, ("son", "daughter")),
})

# 관골 and 장골 are left out: in Korean each also names another bone (cheekbone, long bone).
# 비골 is fibula (腓骨); the nasal bone (鼻骨) shares the reading but is recorded with the
# cranium, not as a separate element.
ELEMENT = Vocabulary("element", NP_("vocabulary", "a skeletal element"), {
    "cranium": {"en": ("skull", "crania"),
                "ko": ("두개골", "두골", "머리뼈"),
                "ja": ("頭蓋骨", "頭骨", "頭蓋")},
    "mandible": {"en": ("jaw", "jawbone", "lower jaw"),
                 "ko": ("하악골", "아래턱뼈", "하악"),
                 "ja": ("下顎骨", "下顎")},
    "tooth": {"en": ("teeth",), "ko": ("치아", "이", "이빨"), "ja": ("歯", "歯牙")},
    "vertebra": {"en": ("vertebrae", "spine", "cervical vertebra", "thoracic vertebra",
                        "lumbar vertebra"),
                 "ko": ("척추", "척추뼈", "척추골", "경추", "흉추", "요추"),
                 "ja": ("椎骨", "脊椎", "脊椎骨", "頸椎", "頚椎", "胸椎", "腰椎")},
    "rib": {"en": ("ribs",), "ko": ("늑골", "갈비뼈"), "ja": ("肋骨",)},
    "clavicle": {"en": ("collarbone", "collar bone"), "ko": ("쇄골", "빗장뼈"),
                 "ja": ("鎖骨",)},
    "scapula": {"en": ("shoulder blade",), "ko": ("견갑골", "어깨뼈"), "ja": ("肩甲骨",)},
    "humerus": {"en": (), "ko": ("상완골", "위팔뼈"), "ja": ("上腕骨",)},
    "radius": {"en": (), "ko": ("요골", "노뼈"), "ja": ("橈骨",)},
    "ulna": {"en": (), "ko": ("척골", "자뼈"), "ja": ("尺骨",)},
    "hand": {"en": ("hand bone", "hand bones", "carpal", "metacarpal"),
             "ko": ("손뼈", "수골", "수근골", "손목뼈", "중수골", "손허리뼈"),
             "ja": ("手骨", "手の骨", "手根骨", "中手骨")},
    "pelvis": {"en": ("hip bone", "os coxae", "innominate"),
               "ko": ("골반", "골반뼈", "볼기뼈"),
               "ja": ("寛骨", "骨盤")},
    "sacrum": {"en": (), "ko": ("천골", "엉치뼈"), "ja": ("仙骨",)},
    "femur": {"en": ("thigh bone", "thighbone", "femora"),
              "ko": ("대퇴골", "넙다리뼈"), "ja": ("大腿骨",)},
    "patella": {"en": ("kneecap", "knee cap"), "ko": ("슬개골", "무릎뼈"), "ja": ("膝蓋骨",)},
    "tibia": {"en": ("shin bone", "shinbone"), "ko": ("경골", "정강뼈"), "ja": ("脛骨",)},
    "fibula": {"en": (), "ko": ("비골", "종아리뼈"), "ja": ("腓骨",)},
    "foot": {"en": ("foot bone", "foot bones", "tarsal", "metatarsal", "calcaneus", "talus"),
             "ko": ("발뼈", "족골", "족근골", "발목뼈", "중족골", "발허리뼈", "종골", "거골"),
             "ja": ("足骨", "足の骨", "足根骨", "中足骨", "踵骨", "距骨")},
    "fragment": {"en": ("bone fragment", "fragments"),
                 "ko": ("골편", "뼛조각", "뼈조각"), "ja": ("骨片",)},
})

SIDE = Vocabulary("side", NP_("vocabulary", "a side"), {
    "left": {"en": ("L", "lt"), "ko": ("좌", "왼쪽", "좌측"), "ja": ("左", "左側")},
    "right": {"en": ("R", "rt"), "ko": ("우", "오른쪽", "우측"), "ja": ("右", "右側")},
    "midline": {"en": ("median", "middle", "axial"), "ko": ("중앙", "정중"),
                "ja": ("正中", "中央")},
    "unknown": {"en": ("?", "unk"), "ko": ("미상", "불명"), "ja": ("不明",)},
})

SAMPLE_TYPE = Vocabulary("sample_type", NP_("vocabulary", "a sample type"), {
    "bone": {"en": (), "ko": ("뼈", "골"), "ja": ("骨",)},
    "tooth": {"en": ("teeth",), "ko": ("치아", "이빨"), "ja": ("歯", "歯牙")},
    "saliva": {"en": (), "ko": ("타액", "침"), "ja": ("唾液",)},
    "buccal swab": {"en": ("buccal", "cheek swab", "mouth swab", "swab"),
                    "ko": ("구강상피", "구강상피세포", "구강 면봉", "구강세포"),
                    "ja": ("口腔粘膜", "口腔内細胞", "頬粘膜", "口腔スワブ")},
    "blood": {"en": (), "ko": ("혈액", "피"), "ja": ("血液",)},
    "other": {"en": (), "ko": ("기타",), "ja": ("その他",)},
    # A staff member's reference (elimination profile): no specimen, no relative.
    "elimination": {"en": ("staff", "elimination profile", "staff reference"),
                    "ko": ("배제용 시료", "배제 시료", "직원 대조 시료"),
                    "ja": ("除外用試料", "除外試料", "職員対照試料")},
})

SAMPLE_STATUS = Vocabulary("sample_status", NP_("vocabulary", "a sample status"), {
    "planned": {"en": ("plan",), "ko": ("예정", "계획"), "ja": ("予定", "計画")},
    "collected": {"en": (), "ko": ("채취", "채취 완료"), "ja": ("採取済", "採取済み", "採取")},
    "shipped": {"en": ("sent",), "ko": ("발송", "발송 완료"), "ja": ("発送済", "発送済み", "発送")},
    "received": {"en": (), "ko": ("수령", "접수"), "ja": ("受領", "受付")},
    "extracted": {"en": (), "ko": ("추출", "추출 완료", "DNA 추출"),
                  "ja": ("抽出済", "抽出済み", "DNA抽出")},
    "profiled": {"en": ("typed",), "ko": ("프로필 확보", "분석 완료", "DNA형 확보"),
                 "ja": ("DNA型検出", "型検出", "型判定済")},
    "failed": {"en": ("failure",), "ko": ("실패", "분석 실패", "검출 실패"),
               "ja": ("失敗", "不検出", "検出不能")},
    "consumed": {"en": ("used up",), "ko": ("소진", "소모", "전량 소진"),
                 "ja": ("消費", "全量消費", "費消")},
})

IDENTIFICATION_STATUS = Vocabulary("identification_status", NP_("vocabulary", "an identification status"), {
    "candidate": {"en": (), "ko": ("후보",), "ja": ("候補",)},
    "confirmed": {"en": ("confirm",), "ko": ("확인", "확정"), "ja": ("確認", "確定")},
    "rejected": {"en": ("reject",), "ko": ("기각", "배제"), "ja": ("否定", "除外", "棄却")},
})
# The statuses a decision (`chosei match confirm/reject`, the Identifications sheet) sets.
DECIDED_STATUSES = ("confirmed", "rejected")

HAPLOTYPE_KIND = Vocabulary("haplotype_kind", NP_("vocabulary", "a haplotype kind"), {
    "Y": {"en": ("Y-STR", "YSTR"), "ko": ("Y",), "ja": ("Y",)},
    "mt": {"en": ("mtDNA", "mito"), "ko": ("mt",), "ja": ("mt",)},
})

CUSTODY_EVENT = Vocabulary("custody_event", NP_("vocabulary", "a custody event"), {
    "recovered": {"en": (), "ko": ("수습",), "ja": ("収容", "回収")},
    "transferred": {"en": ("handed over",), "ko": ("인계", "이관"),
                    "ja": ("引渡し", "引き渡し", "移管")},
    "received": {"en": (), "ko": ("인수", "수령"), "ja": ("受領", "受け取り")},
    "stored": {"en": (), "ko": ("보관",), "ja": ("保管",)},
    "sampled": {"en": (), "ko": ("시료 채취", "채취"), "ja": ("試料採取", "採取")},
    "shipped": {"en": ("sent",), "ko": ("발송", "송부"), "ja": ("発送", "送付")},
    "returned": {"en": (), "ko": ("반환", "송환"), "ja": ("返還", "返却")},
    "consumed": {"en": ("used up",), "ko": ("소진", "소모"), "ja": ("消費", "費消")},
})

SCRIPT = Vocabulary("script", NP_("vocabulary", "a script"), {
    "hangul": {"en": ("hangeul", "korean"), "ko": ("한글",), "ja": ("ハングル",)},
    "hanja": {"en": ("chinese characters",), "ko": ("한자",), "ja": ("漢字",)},
    "japanese": {"en": ("japanese name",), "ko": ("일본식", "일본식 이름", "일본명"),
                 "ja": ("日本名", "日本式", "日本式氏名")},
    "kana": {"en": ("hiragana", "katakana", "reading"),
             "ko": ("가나",), "ja": ("かな", "カナ", "仮名", "よみがな", "ふりがな")},
    "latin": {"en": ("roman", "romanized", "romanised", "romanization", "romanisation"),
              "ko": ("로마자", "영문"), "ja": ("ローマ字",)},
})

CONSENT_SCOPE = ConsentScope("consent_scope", NP_("vocabulary", "a consent scope"), {
    "analysis": {"en": ("analyse", "analyze"), "ko": ("분석",), "ja": ("分析",)},
    "share:KR": {"en": (), "ko": ("공유:KR",), "ja": ("共有:KR",)},
    "share:JP": {"en": (), "ko": ("공유:JP",), "ja": ("共有:JP",)},
})

VOCABULARIES: dict[str, Vocabulary] = {v.name: v for v in (
    NATIONALITY, SEX, RELATIONSHIP, ELEMENT, SIDE, SAMPLE_TYPE, SAMPLE_STATUS,
    CUSTODY_EVENT, SCRIPT, CONSENT_SCOPE,
)}
