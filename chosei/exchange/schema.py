"""The exchange workbook, declared once: sheets, their columns in three languages, keys.

The reader, the validator, the export and the template all work from this table, so a
header or a vocabulary changed here changes everywhere. See `/docs/exchange.md`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from chosei.i18n import _
from chosei.vocab import (
    CONSENT_SCOPE,
    CUSTODY_EVENT,
    ELEMENT,
    HAPLOTYPE_KIND,
    IDENTIFICATION_STATUS,
    NATIONALITY,
    RELATIONSHIP,
    SAMPLE_STATUS,
    SAMPLE_TYPE,
    SCRIPT,
    SEX,
    SIDE,
    Vocabulary,
)

LANGS = ("en", "ko", "ja")
# The layout of the workbook itself; bumped when a sheet or column changes meaning.
WORKBOOK_REVISION = 1

# What a cell holds, which decides how it is read and written.
ID, TEXT, DATE, DATETIME, YEAR, AGE, INT, FLOAT, VOCAB, SCOPES, IDLIST = (
    "id", "text", "date", "datetime", "year", "age", "int", "float", "vocab", "scopes", "idlist")
MARKER, ALLELE, VARIANTS, VERSION = "marker", "allele", "variants", "version"


def header_key(text: object) -> str:
    """How headers and sheet names are matched: NFKC, casefolded, without spaces."""
    return "".join(unicodedata.normalize("NFKC", str(text)).casefold().split())


@dataclass(frozen=True)
class Column:
    field: str
    en: str
    ko: str
    ja: str
    kind: str = TEXT
    vocab: Vocabulary | None = None
    width: int = 16
    aliases: tuple[str, ...] = ()
    # A DATE that may be approximate (`1915年頃`): read as the date it approximates, the
    # cell's text going to the row's model, which keeps it as written (`dates.written_date`).
    approximate: bool = False

    def header(self, lang: str) -> str:
        return {"en": self.en, "ko": self.ko, "ja": self.ja}[lang]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.en, self.ko, self.ja, *self.aliases)


@dataclass(frozen=True)
class Sheet:
    name: str  # the English name, also the sheet's identity in code
    ko: str
    ja: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    _by_header: dict[str, Column] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for col in self.columns:
            for name in col.names:
                hk = header_key(name)
                if self._by_header.get(hk, col) is not col:
                    raise ValueError(f"{self.name}: header {name!r} names two columns")
                self._by_header[hk] = col

    def title(self, lang: str) -> str:
        return {"en": self.name, "ko": self.ko, "ja": self.ja}[lang]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, self.ko, self.ja)

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)

    def match(self, header: object) -> Column | None:
        return self._by_header.get(header_key(header))


def _c(field_name: str, en: str, ko: str, ja: str, kind: str = TEXT, **kw: Any) -> Column:
    return Column(field_name, en, ko, ja, kind, **kw)


def _victim_id(name: str = "victim_id") -> Column:
    return _c(name, "Victim ID", "희생자 번호", "犠牲者番号", ID, width=12)


def _relative_id(name: str = "relative_id") -> Column:
    return _c(name, "Relative ID", "유족 번호", "遺族番号", ID, width=12)


def _specimen_id(name: str = "specimen_id") -> Column:
    return _c(name, "Specimen ID", "유해 번호", "遺骨番号", ID, width=12)


def _sample_id(name: str = "sample_id", aliases: tuple[str, ...] = ()) -> Column:
    return _c(name, "Sample ID", "시료 번호", "試料番号", ID, width=12, aliases=aliases)


def _operation_id(name: str = "operation_id") -> Column:
    return _c(name, "Operation ID", "작업 번호", "作業番号", ID, width=12)


def _vocab(name: str, en: str, ko: str, ja: str, vocab: Vocabulary, width: int = 12) -> Column:
    return _c(name, en, ko, ja, VOCAB, vocab=vocab, width=width)


NOTES = _c("notes", "Notes", "비고", "備考", width=30)
SEX_COL = _vocab("sex", "Sex", "성별", "性別", SEX, width=8)
MARKER_COL = _c("marker", "Marker", "마커", "マーカー", MARKER, width=12)
POPULATION = _c("population", "Population", "집단", "集団", width=14)
VERSION_COL = _c("version", "Version", "버전", "バージョン", VERSION, width=9)

VICTIMS = Sheet("Victims", "희생자", "犠牲者", ("id",), (
    _victim_id("id"),
    _vocab("nationality", "Nationality", "국적", "国籍", NATIONALITY, width=11),
    _c("name_hangul", "Name (Hangul)", "한글 이름", "ハングル氏名", width=14),
    _c("name_hanja", "Name (Hanja)", "한자 이름", "漢字氏名", width=14),
    _c("name_japanese", "Name (Japanese)", "일본식 이름", "日本名", width=16),
    _c("name_reading", "Reading", "읽기", "よみがな", width=18),
    _c("name_latin", "Name (Latin)", "로마자 이름", "ローマ字氏名", width=18),
    SEX_COL,
    _c("birth_date", "Birth date", "생년월일", "生年月日", DATE, width=12, approximate=True),
    _c("age_at_death", "Age at death", "사망 당시 나이", "死亡時年齢", AGE, width=8),
    _c("domicile", "Registered domicile", "본적", "本籍", width=24),
    _c("address", "Address", "주소", "住所", width=24),
    _c("sources", "Sources", "출처", "出典", width=24),
    NOTES, VERSION_COL,
))

NAMES = Sheet("Names", "이름", "氏名", ("victim_id", "name"), (
    _victim_id(),
    _c("name", "Name", "이름", "氏名", width=18),
    _vocab("script", "Script", "문자", "文字種", SCRIPT, width=11),
    _c("source", "Source", "출처", "出典", width=24),
    VERSION_COL,
))

RELATIVES = Sheet("Relatives", "유족", "遺族", ("id",), (
    _relative_id("id"),
    _victim_id(),
    _vocab("relationship", "Relationship", "관계", "続柄", RELATIONSHIP, width=18),
    _c("name", "Name", "이름", "氏名", width=14),
    SEX_COL,
    _c("birth_year", "Birth year", "출생연도", "生年", YEAR, width=9),
    _c("contact", "Contact", "연락처", "連絡先", width=22),
    _c("consent_date", "Consent date", "동의일", "同意日", DATE, width=12),
    _c("consent_scope", "Consent scope", "동의 범위", "同意範囲", SCOPES, vocab=CONSENT_SCOPE,
       width=22),
    _c("consent_withdrawn", "Consent withdrawn", "동의 철회일", "同意撤回日", DATE, width=12),
    NOTES, VERSION_COL,
))

PEDIGREES = Sheet("Pedigrees", "가계도", "家系図", ("victim_id", "label"), (
    _victim_id(),
    _c("label", "Person", "사람", "人物", ID, width=12),
    _c("father", "Father", "부", "父", ID, width=12),
    _c("mother", "Mother", "모", "母", ID, width=12),
    SEX_COL,
    _relative_id(),
    NOTES, VERSION_COL,
))

OPERATIONS = Sheet("Operations", "수습작업", "収容作業", ("id",), (
    _operation_id("id"),
    _c("date", "Date", "날짜", "日付", DATE, width=12),
    _c("site", "Site", "장소", "場所", width=20),
    _c("team", "Team", "팀", "チーム", width=20),
    NOTES, VERSION_COL,
))

SPECIMENS = Sheet("Specimens", "유해", "遺骨", ("id",), (
    _specimen_id("id"),
    _operation_id(),
    _c("recovered_on", "Recovered on", "수습일", "収容日", DATE, width=12),
    _c("location", "Location", "위치", "位置", width=20),
    _c("depth_m", "Depth (m)", "수심(m)", "水深(m)", FLOAT, width=9),
    _vocab("element", "Element", "부위", "部位", ELEMENT),
    _vocab("side", "Side", "좌우", "左右", SIDE, width=9),
    _c("portion", "Portion", "부분", "部分", width=14),
    _c("condition", "Condition", "상태", "状態", width=16),
    _c("custodian", "Custodian", "보관자", "保管者", width=16),
    _c("other_ids", "Other IDs", "기타 번호", "別番号", IDLIST, width=18),
    NOTES, VERSION_COL,
))

SAMPLES = Sheet("Samples", "시료", "試料", ("id",), (
    _sample_id("id"),
    _c("source_id", "Source ID", "출처 번호", "由来番号", ID, width=12),
    _vocab("type", "Type", "종류", "種類", SAMPLE_TYPE, width=12),
    _c("collected_on", "Collected on", "채취일", "採取日", DATE, width=12),
    _c("lab", "Lab", "분석기관", "鑑定機関", width=16),
    _c("lab_ref", "Lab ref", "기관 번호", "機関番号", width=12),
    _vocab("status", "Status", "상태", "状態", SAMPLE_STATUS),
    _c("status_date", "Status date", "상태 일자", "状態日", DATE, width=12),
    NOTES, VERSION_COL,
))

CUSTODY = Sheet("Custody", "인계기록", "受渡記録", ("item_id", "event", "at"), (
    _c("item_id", "Item ID", "물품 번호", "物品番号", ID, width=12),
    _vocab("event", "Event", "사건", "事象", CUSTODY_EVENT),
    _c("at", "At", "일시", "日時", DATETIME, width=17),
    _c("from_party", "From", "인계자", "引渡者", width=18),
    _c("to_party", "To", "인수자", "受領者", width=18),
    _c("place", "Place", "장소", "場所", width=18),
    NOTES, VERSION_COL,
))

PROFILES = Sheet("Profiles", "DNA형", "DNA型", ("sample_id", "marker"), (
    _sample_id(aliases=("Sample Name",)),
    MARKER_COL,
    _c("allele1", "Allele 1", "대립유전자 1", "アレル1", ALLELE, width=10),
    _c("allele2", "Allele 2", "대립유전자 2", "アレル2", ALLELE, width=10),
    VERSION_COL,
))

FREQUENCIES = Sheet("Frequencies", "대립유전자빈도", "アレル頻度", ("population", "marker", "allele"), (
    POPULATION,
    MARKER_COL,
    _c("allele", "Allele", "대립유전자", "アレル", ALLELE, width=9),
    _c("frequency", "Frequency", "빈도", "頻度", FLOAT, width=11),
    _c("sample_size", "Sample size", "표본 수", "標本数", INT, width=10),
    VERSION_COL,
))

HAPLOTYPES = Sheet("Haplotypes", "일배체형", "ハプロタイプ", ("population", "kind", "haplotype"), (
    POPULATION,
    _vocab("kind", "Kind", "종류", "種類", HAPLOTYPE_KIND, width=8),
    _c("count", "Count", "수", "数", INT, width=8),
    _c("mtdna", "mtDNA", "mtDNA", "mtDNA", VARIANTS, width=30),
    VERSION_COL,
))

IDENTIFICATIONS = Sheet("Identifications", "신원확인", "身元確認", ("specimen_id", "victim_id"), (
    _specimen_id(),
    _victim_id(),
    _c("lr", "LR", "LR", "LR", FLOAT, width=12),
    _c("posterior", "Posterior", "사후확률", "事後確率", FLOAT, width=10),
    _c("method", "Method", "방법", "方法", width=16),
    _vocab("status", "Status", "상태", "状態", IDENTIFICATION_STATUS),
    _c("decided_on", "Decided on", "결정일", "決定日", DATE, width=12),
    _c("decided_by", "Decided by", "결정자", "決定者", width=16),
    NOTES, VERSION_COL,
))

SHEETS: tuple[Sheet, ...] = (
    VICTIMS, NAMES, RELATIVES, PEDIGREES, OPERATIONS, SPECIMENS, SAMPLES, CUSTODY, PROFILES,
    FREQUENCIES, HAPLOTYPES, IDENTIFICATIONS,
)

# Sheets an export adds; the import reads About and otherwise ignores them.
DASHBOARD = ("Dashboard", "현황", "現況")
ABOUT = ("About", "정보", "情報")
INSTRUCTIONS = ("Instructions", "안내", "説明")
LISTS = "_lists"  # the hidden sheet holding the drop-down lists
IGNORED_SHEETS = frozenset(header_key(n) for n in (*DASHBOARD, *INSTRUCTIONS, LISTS))
ABOUT_KEYS = frozenset(header_key(n) for n in ABOUT)

# The About sheet: one (label, value) row per item.
ABOUT_ITEMS: dict[str, tuple[str, str, str]] = {
    "case": ("Case", "사건", "事案"),
    "store_id": ("Store ID", "저장소 ID", "ストアID"),
    "audit_head": ("Audit head", "감사 기록 최종 항목", "監査ログ最終項目"),
    "exported_at": ("Exported at", "내보낸 시각", "出力日時"),
    "profile": ("Profile", "프로필", "プロファイル"),
    "partner": ("Partner", "제공 기관", "提供先"),
    "lang": ("Language", "언어", "言語"),
    "schema": ("Schema revision", "스키마 버전", "スキーマ版"),
    "workbook": ("Workbook revision", "양식 버전", "様式版"),
    "demo": ("Demo", "데모", "デモ"),
    "note": ("Note", "참고", "注記"),
}
ABOUT_BY_KEY = {header_key(n): item for item, names in ABOUT_ITEMS.items() for n in names}

_BY_NAME = {header_key(n): s for s in SHEETS for n in s.names}


def find_sheet(name: object) -> Sheet | None:
    return _BY_NAME.get(header_key(name))


def title_language(title: object) -> str | None:
    """en, ko or ja: the language of a sheet name chosei writes (a data sheet's, About's,
    Instructions' or Dashboard's); None for any other name."""
    key = header_key(title)
    for names in (*(s.names for s in SHEETS), DASHBOARD, ABOUT, INSTRUCTIONS):
        for lang, name in zip(LANGS, names, strict=True):
            if header_key(name) == key:
                return lang
    return None


def header_language(sheet: Sheet, header: object) -> str | None:
    """en, ko or ja: the language of a header of `sheet`, when it is only that language's
    (`LR` and `mtDNA` are every language's: None)."""
    col = sheet.match(header)
    if col is None:
        return None
    key = header_key(header)
    found = [lang for lang in LANGS if header_key(col.header(lang)) == key]
    return found[0] if len(found) == 1 else None


def workbook_language(titles: Iterable[object], headers: Iterable[tuple[Sheet, object]] = (),
                      about: object = None) -> str:
    """The language a workbook is written in: the one most of its sheet names are in, else
    most of its headers, else its About sheet's Language item, else en. A Korean or
    Japanese workbook's feedback is given in its language."""
    for votes in ([title_language(t) for t in titles],
                  [header_language(sheet, h) for sheet, h in headers]):
        counts = {lang: votes.count(lang) for lang in LANGS if lang in votes}
        if counts:
            best = max(counts.values())
            winners = [lang for lang in LANGS if counts.get(lang) == best]
            return winners[0] if len(winners) == 1 else "en"
    stated = header_key(about) if about is not None else ""
    return stated if stated in LANGS else "en"


def sheet_named(name: str) -> Sheet:
    """A sheet by any of its names, for `--sheets`; ValueError names the choices."""
    sheet = find_sheet(name)
    if sheet is None:
        raise ValueError(_("'{name}' is not a sheet; choose from: {sheets}").format(
            name=name, sheets=", ".join(s.name for s in SHEETS)))
    return sheet


