"""The About sheet: where a workbook came from, so its return can be checked.

The store's ID is the first entry of its audit chain (the hash of the case's creation):
it needs no column of its own, cannot be copied into another store by accident, and
stays the same for a store restored from a backup, whose history is the same.
The audit head (`chosei.audit_anchor`) pins the store's history as of the export.
Per-row versions in a workbook are compared with the store's only when the workbook
names this store.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, select
from sqlmodel import Session, col

from chosei.audit_anchor import current_head
from chosei.exchange import schema
from chosei.migrations import HEAD_REVISION
from chosei.models import AuditEntry

YES = ("yes", "예", "はい")


def store_id(session: Session) -> str | None:
    digest = session.execute(select(col(AuditEntry.hash)).where(col(AuditEntry.seq) == 1)).scalar()
    return digest[:16] if digest else None


def about_rows(session: Session, case: Row[Any], *, profile: str, partner: str | None,
               lang: str, exported_at: datetime | None = None) -> list[tuple[str, str]]:
    """(label, value) rows in `lang`; `case` is the case row (`services.case.get_case`).
    The audit head is the log's last entry as of this call: call it after recording the
    export, so the head a receiver checks (`chosei audit verify --head-from`) covers it."""
    at = (exported_at or datetime.now(UTC)).isoformat(timespec="seconds")
    i = schema.LANGS.index(lang)
    values: dict[str, Any] = {
        "case": case.name,
        "store_id": store_id(session) or "",
        "audit_head": str(current_head(session)),
        "exported_at": at,
        "profile": profile,
        "partner": partner or "",
        "lang": lang,
        "schema": HEAD_REVISION,
        "workbook": str(schema.WORKBOOK_REVISION),
        "demo": YES[i] if case.demo else ("no", "아니요", "いいえ")[i],
        "note": NOTE[lang] + (" " + DEMO_NOTE[lang] if case.demo else ""),
    }
    return [(schema.ABOUT_ITEMS[k][i], str(v)) for k, v in values.items()]


def is_yes(value: object) -> bool:
    return str(value).strip().casefold() in YES or value is True


NOTE = {
    "en": "The Version column lets chosei see rows changed in the store after this export: "
          "leave it as it is.",
    "ko": "버전 열은 내보낸 뒤 저장소에서 바뀐 행을 찾는 데 쓰입니다. 고치지 마십시오.",
    "ja": "バージョン列は、出力後にストアで変更された行を見つけるために使います。変更しないでください。",
}
DEMO_NOTE = {
    "en": "DEMO CASE: fictional, generated data — not real victims or families.",
    "ko": "데모 사례: 생성된 가상 데이터이며 실제 희생자나 유족이 아닙니다.",
    "ja": "デモ事例：生成された架空のデータであり、実在の犠牲者や遺族ではありません。",
}
