"""The Instructions sheet of the template, in English, Korean and Japanese."""

from __future__ import annotations

from typing import Any

from chosei.exchange import cells, schema

_TITLE = {
    "en": "How to fill in this workbook (chosei exchange workbook)",
    "ko": "이 통합 문서 작성 방법 (chosei 교환 양식)",
    "ja": "このブックの記入方法（chosei 交換様式）",
}

_RULES = {
    "en": [
        "Each sheet holds one kind of record. Row 1 holds the headers: keep them (English, "
        "Korean and Japanese headers are all read). Leave out a column you have nothing for.",
        "A row is found by its key (table below). A key already in the tracker updates that "
        "record; a new key adds one. An import never deletes anything.",
        f"A blank cell never erases what the tracker holds. To erase a value, type "
        f"{cells.CLEAR_MARKER} in its cell.",
        "IDs are text; full-width characters are read as half-width (ＣＨ－００１ is CH-001).",
        "Dates: 2025-08-26, 1915-03 or 1915 (a partial date stays partial), an Excel date, "
        "a Japanese era date (大正4年3月2日, 昭和17年, S17.2.3) or a Dangi year (단기 4248년). "
        "A victim's birth date may be approximate (1915?, circa 1915, 1915년경, 1915年頃): "
        "the tracker keeps it as written beside the date.",
        "Controlled terms: pick from the drop-down list; the Korean and Japanese terms below "
        "are read too. A relationship may also be a path of steps joined by 's, 의 or の "
        "(father's brother's son, 형의 아들의 아들, 兄の息子の息子). A relationship that hides "
        "the line (조카, 손자, 사촌, 甥, 姪, 孫, 伯父, いとこ) is refused: write which one "
        "(brother's son, sister's son…).",
        "Consent scope: analysis, share:KR, share:JP, several separated by ;. A withdrawal is "
        "the date in Consent withdrawn; scopes left off the list are not withdrawn.",
        "Samples: Source ID is the specimen or the relative the sample was taken from.",
        "Pedigrees: one row per person of a victim's family tree; Father and Mother are "
        "labels of the same family (both or neither). The person labelled with the Victim ID "
        "is the victim; Relative ID places a relative. Each tree is checked whole.",
        "Profiles: one row per sample and marker (GeneMapper headers Sample Name, Marker, "
        "Allele 1, Allele 2 are read as they are); an mtDNA row holds its variants in Allele 1 and "
        "may hold the ranges read in Allele 2 (16024-16365 73-340).",
        "Frequencies: one row per population, marker and allele, or one row per allele with "
        "one column per marker.",
        "Haplotypes: add one column per Y-STR marker, headed by its name (DYS19, DYS385…; "
        "11,14 for two copies); mtDNA rows fill the mtDNA column.",
        "Identifications: an import changes only the status, the decision (date, by whom) "
        "and notes; the numbers are the tracker's.",
        "Exports carry a Version column and an About sheet: leave both as they are. A row "
        "changed in the tracker after the export is reported as a conflict, not overwritten.",
        "Before importing: `chosei import FILE --dry-run` shows what would change; "
        "`chosei import FILE --errors marked.xlsx` marks each problem in a copy of the file.",
    ],
    "ko": [
        "각 시트에는 한 종류의 기록을 적습니다. 1행은 머리글입니다. 그대로 두십시오(영어·한국어·"
        "일본어 머리글을 모두 읽습니다). 적을 내용이 없는 열은 빼도 됩니다.",
        "행은 키(아래 표)로 찾습니다. 이미 있는 키는 그 기록을 고치고, 새 키는 기록을 더합니다. "
        "가져오기는 아무것도 지우지 않습니다.",
        f"빈 칸은 저장된 값을 지우지 않습니다. 값을 지우려면 그 칸에 {cells.CLEAR_MARKER} 라고 "
        "입력하십시오.",
        "번호(ID)는 텍스트입니다. 전각 문자는 반각으로 읽습니다(ＣＨ－００１ = CH-001).",
        "날짜: 2025-08-26, 1915-03, 1915(일부만 아는 날짜는 그대로 둡니다), 엑셀 날짜, "
        "일본 연호(大正4年3月2日, 昭和17年, S17.2.3), 단기(단기 4248년). "
        "희생자의 생년월일은 대략적인 날짜도 됩니다(1915?, 1915년경, 1915年頃): 적힌 그대로 함께 보관합니다.",
        "정해진 용어: 드롭다운 목록에서 고르십시오. 아래의 한국어·일본어 표현도 읽습니다. "
        "계통이 드러나지 않는 관계(조카, 손자, 甥, 姪, 孫)는 받지 않습니다. "
        "형제의 아들, 자매의 아들처럼 적으십시오.",
        "동의 범위: 분석(analysis), 공유:KR, 공유:JP. 여러 개는 ; 로 구분합니다. 철회는 "
        "동의 철회일에 날짜로 적습니다. 목록에서 뺀 범위는 철회되지 않습니다.",
        "시료: 출처 번호는 시료를 채취한 유해 또는 유족의 번호입니다.",
        "가계도: 희생자의 가계도에서 사람마다 한 행. 부·모는 같은 가계의 사람(둘 다 적거나 "
        "둘 다 비움). 희생자 번호를 사람으로 적은 행이 희생자이고, 유족 번호는 그 유족의 "
        "자리입니다. 가계도는 전체로 검사합니다.",
        "DNA형: 시료와 마커마다 한 행(GeneMapper 머리글 Sample Name, Marker, Allele 1, "
        "Allele 2도 읽습니다). mtDNA 행은 변이를 대립유전자 1에, "
        "판독한 범위를 대립유전자 2에 적을 수 있습니다(16024-16365 73-340).",
        "대립유전자빈도: 집단·마커·대립유전자마다 한 행, 또는 대립유전자마다 한 행에 마커마다 "
        "한 열.",
        "일배체형: Y-STR 마커마다 마커 이름을 머리글로 한 열을 더하십시오(DYS19, DYS385…; "
        "두 사본은 11,14). mtDNA 행은 mtDNA 열에 적습니다.",
        "신원확인: 가져오기로는 상태, 결정(일자, 결정자), 비고만 바뀝니다. 수치는 chosei가 "
        "계산합니다.",
        "내보낸 파일에는 버전 열과 정보 시트가 있습니다. 고치지 마십시오. 내보낸 뒤 chosei에서 "
        "바뀐 행은 덮어쓰지 않고 충돌로 알립니다.",
        "가져오기 전에: `chosei import 파일 --dry-run` 은 바뀔 내용을 보여 주고, "
        "`chosei import 파일 --errors 표시.xlsx` 는 문제 칸을 표시한 사본을 만듭니다.",
    ],
    "ja": [
        "各シートには一種類の記録を記入します。1行目は見出しです。変更しないでください（英語・"
        "韓国語・日本語の見出しをすべて読みます）。記入する内容のない列は削除してかまいません。",
        "行はキー（下表）で照合します。既にあるキーはその記録を更新し、新しいキーは記録を追加"
        "します。取り込みで削除されるものはありません。",
        f"空欄は保存済みの値を消しません。値を消すには、そのセルに {cells.CLEAR_MARKER} と"
        "入力してください。",
        "番号（ID）は文字列です。全角文字は半角として読みます（ＣＨ－００１ = CH-001）。",
        "日付：2025-08-26、1915-03、1915（一部だけ分かる日付はそのまま保持）、Excel の日付、"
        "和暦（大正4年3月2日、昭和17年、S17.2.3）、檀紀（단기 4248년）。"
        "犠牲者の生年月日はおおよその日付も可（1915?、1915年頃、1915년경）：書かれたとおりに併せて保存します。",
        "用語：ドロップダウンの一覧から選んでください。下表の韓国語・日本語の表記も読みます。"
        "系統が分からない続柄（甥、姪、孫、조카、손자）は受け付けません。兄弟の息子、姉妹の息子"
        "のように記入してください。",
        "同意範囲：分析（analysis）、共有:KR、共有:JP。複数は ; で区切ります。撤回は同意撤回日"
        "に日付で記入します。一覧から外した範囲は撤回されません。",
        "試料：由来番号は試料を採取した遺骨または遺族の番号です。",
        "家系図：犠牲者の家系図の人物ごとに一行。父・母は同じ家系の人物（両方記入するか両方"
        "空欄）。犠牲者番号を人物とする行が犠牲者で、遺族番号はその遺族の位置です。"
        "家系図は全体で検査します。",
        "DNA型：試料とマーカーごとに1行（GeneMapper の見出し Sample Name、Marker、Allele 1、"
        "Allele 2 もそのまま読みます）。mtDNA の行は変異をアレル1に、"
        "読み取った範囲をアレル2に記入できます（16024-16365 73-340）。",
        "アレル頻度：集団・マーカー・アレルごとに1行、またはアレルごとに1行でマーカーごとに1列。",
        "ハプロタイプ：Y-STR マーカーごとに、マーカー名を見出しとする列を追加してください"
        "（DYS19、DYS385…。2コピーは 11,14）。mtDNA の行は mtDNA 列に記入します。",
        "身元確認：取り込みで変わるのは状態、決定（日付・決定者）、備考だけです。数値は chosei "
        "が計算します。",
        "出力したブックにはバージョン列と情報シートがあります。変更しないでください。出力後に "
        "chosei で変更された行は上書きせず、競合として報告します。",
        "取り込む前に：`chosei import ファイル --dry-run` で変更内容を確認でき、"
        "`chosei import ファイル --errors 表示.xlsx` で問題のセルに印を付けた写しを作れます。",
    ],
}

_HEADS = {
    "en": ("Sheet", "Key", "Vocabulary", "Code"),
    "ko": ("시트", "키", "용어", "코드"),
    "ja": ("シート", "キー", "用語", "コード"),
}


def instruction_rows(lang: str) -> tuple[list[list[Any]], set[int]]:
    """The sheet's rows (column A, with tables in A–C) and which rows are headings."""
    head = _HEADS[lang]
    rows: list[list[Any]] = [[_TITLE[lang]], []]
    bold = {0}
    rows.extend([f"{n}. {text}"] for n, text in enumerate(_RULES[lang], start=1))
    rows.append([])
    bold.add(len(rows))
    rows.append([head[0], head[1]])
    for sheet in schema.SHEETS:
        keys = [sheet.column(k).header(lang) for k in sheet.key if k != "haplotype"]
        if sheet is schema.HAPLOTYPES:
            keys.append("DYS… / mtDNA")
        rows.append([sheet.title(lang), " + ".join(keys)])
    rows.append([])
    bold.add(len(rows))
    rows.append([head[2], head[3], "한국어", "日本語"])
    seen = set()
    for sheet in schema.SHEETS:
        for col in sheet.columns:
            if col.vocab is None or col.vocab.name in seen:
                continue
            seen.add(col.vocab.name)
            for code in col.vocab.codes:
                rows.append([f"{sheet.title(lang)}: {col.header(lang)}", code,
                             col.vocab.label(code, "ko"), col.vocab.label(code, "ja")])
    return rows, bold
