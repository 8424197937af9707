"""The words of a report in English, Korean and Japanese.

Vocabulary terms (elements, sides, sample statuses, nationalities, relationships) come
from `chosei.vocab`, so a report says what an exchange workbook says; the rest is here.
"""

from __future__ import annotations

from typing import Any

from chosei.errors import InvalidInput
from chosei.vocab import ELEMENT, LANGS, NATIONALITY, RELATIONSHIP, SAMPLE_STATUS, SIDE

_TEXT: dict[str, tuple[str, str, str]] = {
    # key: (en, ko, ja)
    "title": ("Identification status report", "신원확인 현황 보고서", "身元確認 状況報告書"),
    "demo": ("DEMO CASE: fictional, generated data — not real victims or families.",
             "데모 사례: 생성된 가상 데이터입니다 — 실제 희생자나 유족이 아닙니다.",
             "デモ事案：生成された架空のデータです — 実在の犠牲者・遺族ではありません。"),
    "profile_full": ("Profile: full (case team)", "프로필: 전체 (사건 담당팀)",
                     "プロファイル：全体（事案担当チーム）"),
    "profile_partner": (
        "Profile: partner {partner}: only relatives whose consent covers sharing with "
        "{partner} are counted",
        "프로필: 협력기관 {partner} — {partner} 기관과의 공유에 동의한 유족만 집계",
        "プロファイル：協力機関 {partner} — {partner} の機関との共有に同意した遺族のみ集計"),
    "generated": ("Generated on", "작성일", "作成日"),
    "audit_head": ("Audit head", "감사 기록 최종 항목", "監査ログ最終項目"),
    "victims": ("Victims", "희생자", "犠牲者"),
    "of_expected": ("{n} of {expected}", "{expected}명 중 {n}명", "{expected}人中{n}人"),
    "total": ("Total", "합계", "合計"),
    "count": ("Count", "수", "数"),
    "stage": ("Stage", "단계", "段階"),
    "family_stage": ("Families: stage reached", "유족: 도달 단계", "遺族：到達段階"),
    "remains_stage": ("Remains: stage reached", "유해: 도달 단계", "遺骨：到達段階"),
    "specimens": ("Recovered specimens by element and side", "부위·좌우별 수습 유해",
                  "部位・左右別の収容遺骨"),
    "element": ("Element", "부위", "部位"),
    "side": ("Side", "좌우", "左右"),
    "specimen_total": ("Specimens", "유해 수", "遺骨数"),
    "mni": ("Minimum number of individuals (MNI)", "최소 개체 수(MNI)", "最小個体数（MNI）"),
    "mni_note": (
        "The largest count of one element on one side; teeth, vertebrae, ribs, hand and "
        "foot bones and fragments do not count; never fewer than the DNA groups.",
        "한 부위·한쪽의 최대 개수. 치아·척추·늑골·손발뼈·골편은 세지 않으며, DNA 그룹 수보다 "
        "작을 수 없습니다.",
        "同一部位・同一側の最大数。歯・椎骨・肋骨・手足の骨・骨片は数えず、DNAグループ数を"
        "下回りません。"),
    "element_mni": ("MNI", "MNI", "MNI"),
    "dna_groups": ("DNA groups", "DNA 그룹", "DNAグループ"),
    "timeline": ("Monthly timeline", "월별 추이", "月別推移"),
    "month": ("Month", "월", "月"),
    "recovered": ("Specimens recovered", "유해 수습", "遺骨収容"),
    "collected": ("Samples collected", "시료 채취", "試料採取"),
    "profiled": ("Samples profiled", "DNA형 확보", "DNA型検出"),
    "identified": ("Identifications confirmed", "신원 확인", "身元確認"),
    "samples": ("Samples by status and lab", "상태·분석기관별 시료", "状態・鑑定機関別の試料"),
    "lab": ("Lab", "분석기관", "鑑定機関"),
    "no_lab": ("(no lab)", "(미지정)", "（未定）"),
    "status": ("Status", "상태", "状態"),
    "custody": ("Custody chains with gaps", "인계 기록의 단절", "受渡記録の欠落"),
    "custody_summary": ("{items} items have a custody record; {gaps} of them have gaps.",
                        "인계 기록이 있는 물품 {items}건 중 {gaps}건에 단절이 있습니다.",
                        "受渡記録のある物品{items}件のうち{gaps}件に欠落があります。"),
    "custody_more": ("… and {n} more items with gaps: `chosei check` lists them.",
                     "… 외 {n}건: `chosei check`로 확인하십시오.",
                     "… ほか{n}件：`chosei check` で確認してください。"),
    "overrides": ("Confirmations made with an override", "재정(override)으로 확정된 신원확인",
                  "オーバーライドで確定した身元確認"),
    "overrides_note": ("The DNA excludes these pairs or does not single them out (posterior below 0.5); "
                       "people confirmed them on other evidence, for the reason given.",
                       "DNA가 배제하거나 특정하지 못한 쌍(사후확률 0.5 미만)을 다른 증거로 확정한 것입니다. "
                       "사유를 함께 적었습니다.",
                       "DNAが除外する、または特定しない組（事後確率0.5未満）を他の証拠で確定したものです。"
                       "理由を併記します。"),
    "specimen": ("Specimen", "유해 번호", "遺骨番号"),
    "victim": ("Victim", "희생자 번호", "犠牲者番号"),
    "posterior": ("Posterior", "사후확률", "事後確率"),
    "decided": ("Decided", "결정", "決定"),
    "reason": ("Reason", "사유", "理由"),
    "sheet_overrides": ("Overrides", "재정 확정", "オーバーライド"),
    "item": ("Item", "물품 번호", "物品番号"),
    "at": ("When", "일시", "日時"),
    "gap": ("Gap", "단절", "欠落"),
    "detail": ("Detail", "내용", "内容"),
    "gap_start": ("chain does not start at recovery or sampling", "수습·채취 기록 없이 시작",
                  "収容・採取の記録なしに開始"),
    "gap_holder": ("handed over by someone not holding it", "보관자가 아닌 사람이 인계",
                   "保管者でない者が引渡し"),
    "gap_final": ("handled after return or consumption", "반환·소진 후의 처리",
                  "返還・消費後の処理"),
    "gap_other": ("gap", "단절", "欠落"),
    "coverage": ("Reference lines covered by profiled relatives",
                 "DNA형이 확보된 유족이 대조하는 계통", "DNA型を検出した遺族が対照できる系統"),
    "line": ("Line", "계통", "系統"),
    "coverage_note": (
        "Close autosomal: parent, child, full sibling. Y: the paternal line (son, brother, "
        "son's son, brother's son). mtDNA: the maternal line (mother, siblings, sister's "
        "children). A victim with none of these three is not covered usefully.",
        "근친 상염색체: 부모·자녀·형제자매. Y: 부계(아들·형제·친손자·형제의 아들). "
        "mtDNA: 모계(어머니·형제자매·자매의 자녀). 이 셋 중 어느 것도 없는 희생자는 "
        "대조가 사실상 어렵습니다.",
        "近親常染色体：親・子・きょうだい。Y：父系（息子・兄弟・息子の息子・兄弟の息子）。"
        "mtDNA：母系（母・きょうだい・姉妹の子）。この三つのいずれもない犠牲者は"
        "実質的に対照できません。"),
    "uncovered": ("not covered usefully", "유효한 대조 불가", "有効な対照なし"),
    "recruit": ("Whom to recruit next", "다음에 채취를 요청할 유족", "次に採取を依頼する遺族"),
    "recruit_note": (
        "Victims whose probability of identification (LR ≥ {threshold:,.0f}, remains as degraded as "
        "the specimens typed so far) is below one half, with the relative who would raise it most "
        "({simulations} simulations, seed {seed}). Expected identifiable: {expected:.1f}; expected "
        "false candidates over the case: {false:.2g}.",
        "신원 확인 확률(LR ≥ {threshold:,.0f}, 지금까지 분석한 유해만큼 열화된 시료 가정)이 절반 "
        "미만인 희생자와, 그 확률을 가장 많이 올릴 유족({simulations}회 모의, 시드 {seed}). 확인 "
        "가능 기대 수: {expected:.1f}; 사건 전체의 오인 후보 기대 수: {false:.2g}.",
        "身元確認の確率（LR ≥ {threshold:,.0f}、これまでに分析した遺骨と同程度に劣化した試料を"
        "想定）が半分未満の犠牲者と、それを最も高める遺族（{simulations}回の模擬、シード{seed}）。"
        "確認可能な期待数：{expected:.1f}；事案全体の誤候補の期待数：{false:.2g}。"),
    "now": ("Now", "현재", "現在"),
    "recruit_who": ("Recruit", "요청 대상", "依頼先"),
    "then": ("Then", "요청 후", "依頼後"),
    "gain": ("Gain", "증가", "増加"),
    "sheet_recruit": ("Recruit", "유족 요청", "遺族依頼"),
    "victim_table": ("Each victim", "희생자별 현황", "犠牲者別の状況"),
    "id": ("ID", "번호", "番号"),
    "names": ("Names", "이름", "氏名"),
    "nationality": ("Nationality", "국적", "国籍"),
    "family": ("Family", "유족", "遺族"),
    "remains": ("Remains", "유해", "遺骨"),
    "lines": ("Lines", "계통", "系統"),
    "northern": ("North", "북부", "北部"),
    "northern_note": ("▲ registered domicile in the north of the Korean peninsula",
                      "▲ 본적이 한반도 북부", "▲ 本籍が朝鮮半島北部"),
    "none": ("None.", "없음.", "なし。"),
    "lines_note": (
        "Lines: what the victim's profiled relatives cover: close (parent, child, full "
        "sibling) and distant autosomal DNA, Y (paternal line), mt (maternal line).",
        "계통: DNA형이 확보된 유족이 대조하는 것 — 근친(부모·자녀·형제자매)·원친 상염색체, "
        "Y(부계), mt(모계).",
        "系統：DNA型を検出した遺族が対照できるもの — 近親（親・子・きょうだい）・遠縁の"
        "常染色体、Y（父系）、mt（母系）。"),
    "contents": ("Contents", "목차", "目次"),
    "summary": ("Summary", "요약", "概要"),
    "sheet_families": ("Families", "유족 단계", "遺族の段階"),
    "sheet_remains": ("Remains", "유해 단계", "遺骨の段階"),
    "sheet_specimens": ("Specimens", "수습 유해", "収容遺骨"),
    "sheet_timeline": ("Timeline", "월별 추이", "月別推移"),
    "sheet_samples": ("Samples", "시료", "試料"),
    "sheet_coverage": ("Coverage", "대조 계통", "対照系統"),
    "sheet_custody": ("Custody", "인계 기록", "受渡記録"),
    "sheet_victims": ("Victims", "희생자", "犠牲者"),
    "case": ("Case", "사건", "事案"),
    "profile": ("Profile", "프로필", "プロファイル"),
    "figure": ("Figure", "항목", "項目"),
    "value": ("Value", "값", "値"),
    "identified_total": ("Identified (incl. returned)", "신원 확인 (반환 포함)",
                         "身元確認（返還を含む）"),
    # The family pictures (`reports/pedigree_svg.py`) and their section of the report.
    "ped_male": ("male", "남성", "男性"),
    "ped_female": ("female", "여성", "女性"),
    "ped_unknown": ("sex unknown", "성별 미상", "性別不明"),
    "ped_typed": ("DNA profile", "DNA형 확보", "DNA型あり"),
    "ped_untyped": ("no DNA", "DNA 없음", "DNAなし"),
    "ped_deceased": ("deceased", "사망", "死亡"),
    "ped_victim": ("victim", "희생자", "犠牲者"),
    "ped_consanguineous": ("couple related by blood", "혈족 간 혼인", "血族婚"),
    "ped_died": ("d. 1942", "1942년 사망", "1942年死亡"),
    "ped_title": ("Family of {victim}", "{victim}의 가족", "{victim}の家族"),
    "families": ("Families of the victims compared", "대조 대상 희생자의 가족",
                 "対照する犠牲者の家族"),
    "families_note": (
        "Each victim with relatives whose DNA is used, drawn with the standard pedigree symbols: "
        "square male, circle female; filled: a relative with a DNA profile; slash: deceased; "
        "arrow: the victim. Untyped people are drawn only where they join the family.",
        "DNA가 대조에 쓰이는 유족이 있는 희생자별로 표준 가계도 기호로 그렸습니다. 네모는 남성, "
        "동그라미는 여성, 칠한 기호는 DNA형이 있는 유족, 사선은 사망, 화살표는 희생자입니다. "
        "DNA가 없는 사람은 가족을 잇는 데 필요한 경우에만 그립니다.",
        "DNAが対照に使われる遺族のいる犠牲者ごとに、標準的な家系図の記号で描いています。"
        "四角は男性、丸は女性、塗りつぶしはDNA型のある遺族、斜線は死亡、矢印は犠牲者です。"
        "DNAのない人は家族をつなぐのに必要な場合だけ描きます。"),
    "family_error": ("The family of {victim} cannot be drawn: {error}",
                     "{victim}의 가족을 그릴 수 없습니다: {error}",
                     "{victim}の家族を描けません：{error}"),
}

_STAGES: dict[str, tuple[str, str]] = {
    # English stage label (chosei.rules) → (ko, ja)
    "no relative known": ("유족 미확인", "遺族未確認"),
    "located": ("유족 소재 확인", "遺族所在確認"),
    "consented": ("분석 동의", "分析同意"),
    "reference collected": ("대조 시료 채취", "対照試料採取"),
    "reference profiled": ("대조 DNA형 확보", "対照DNA型検出"),
    "none attributed": ("해당 유해 없음", "該当遺骨なし"),
    "candidate": ("후보", "候補"),
    "identified": ("신원 확인", "身元確認"),
    "returned": ("반환", "返還"),
}

_LINES_SHORT: dict[str, tuple[str, str, str]] = {
    "close": ("close", "근친", "近親"),
    "distant": ("distant", "원친", "遠縁"),
    "Y": ("Y", "Y", "Y"),
    "mt": ("mt", "mt", "mt"),
}

_LINES: dict[str, tuple[str, str, str]] = {
    "close": ("close autosomal", "근친 상염색체", "近親常染色体"),
    "distant": ("distant autosomal", "원친 상염색체", "遠縁常染色体"),
    "Y": ("Y-STR (paternal)", "Y-STR (부계)", "Y-STR（父系）"),
    "mt": ("mtDNA (maternal)", "mtDNA (모계)", "mtDNA（母系）"),
    "uncovered": ("not covered usefully", "유효한 대조 불가", "有効な対照なし"),
}

_RECRUIT_LINES: dict[str, tuple[str, str, str]] = {
    "autosomal": ("autosomal STR", "상염색체 STR", "常染色体STR"),
    "Y": ("Y-STR", "Y-STR", "Y-STR"),
    "mt": ("mtDNA", "mtDNA", "mtDNA"),
}


class Labels:
    """The words of one language; `Labels('ko').t('victims')` → `희생자`."""

    def __init__(self, lang: str = "en") -> None:
        lang = (lang or "en").strip().lower()
        if lang not in LANGS:
            raise InvalidInput(f"'{lang}' is not a report language; use en, ko or ja")
        self.lang = lang
        self._i = LANGS.index(lang)

    def t(self, key: str, **values: Any) -> str:
        text = _TEXT[key][self._i]
        return text.format(**values) if values else text

    def stage(self, label: str) -> str:
        return label.capitalize() if self._i == 0 else _STAGES[label][self._i - 1]

    @staticmethod
    def stage_labels() -> frozenset[str]:
        return frozenset(_STAGES)

    def line(self, code: str) -> str:
        return _LINES[code][self._i]

    def line_short(self, code: str) -> str:
        return _LINES_SHORT[code][self._i]

    def recruit_line(self, code: str) -> str:
        """A line a recruit would be typed for: autosomal STRs, Y-STR or mtDNA."""
        return _RECRUIT_LINES[code][self._i]

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
