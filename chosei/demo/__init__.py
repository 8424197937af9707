"""The fictional demo case: generated victims, families, recoveries, samples and DNA.

Everything here is made up from syllable lists, common surnames and a seeded random
generator; no real victim or family appears. `chosei.demo.case.build_world(seed)` plans
the whole case as plain rows (and keeps the hidden truth: who each specimen really is);
`chosei.services.demo.build_demo` writes those rows to a store. `chosei.demo.marks`
recognises demo data in a workbook; it is loaded on every import, so this package loads
the generator only when asked for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chosei.demo.case import World, build_world, demo_truth

__all__ = ["World", "build_world", "demo_truth"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from chosei.demo import case

        return getattr(case, name)
    raise AttributeError(f"module 'chosei.demo' has no attribute {name!r}")
