"""The fictional demo case: generated victims, families, recoveries, samples and DNA.

Everything here is made up from syllable lists, common surnames and a seeded random
generator; no real victim or family appears. `chosei.demo.case.build_world(seed)` plans
the whole case as plain rows (and keeps the hidden truth: who each specimen really is);
`chosei.services.demo.build_demo` writes those rows to a store.
"""

from chosei.demo.case import World, build_world, demo_truth

__all__ = ["World", "build_world", "demo_truth"]
