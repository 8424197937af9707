"""How big a workbook chosei agrees to open, and why: the limits `guard` enforces.

A 100,000-row sheet is 30-60 MB of XML and the contract has eleven sheets, so a very
large case fits well inside these; a zip or XML bomb does not.
"""

from __future__ import annotations

KIB, MIB, GIB = 1 << 10, 1 << 20, 1 << 30

# The file itself, everything in it once decompressed, and one part of it.
MAX_FILE_BYTES = GIB
MAX_TOTAL_BYTES = GIB
MAX_PART_BYTES = 512 * MIB
# Excel writes a few dozen parts; pictures and comments add some.
MAX_PARTS = 10_000
MAX_DIRECTORY_BYTES = 16 * MIB
# Real worksheets deflate 5-20:1 (even 100,000 identical rows stay under 20:1); deflate
# tops out near 1032:1, which is what a bomb uses. A part under RATIO_MIN_BYTES cannot
# hurt whatever its ratio, and highly repetitive small parts are common.
MAX_RATIO = 100
RATIO_MIN_BYTES = 16 * MIB
# Excel's own limit for the text of one cell.
MAX_TEXT_CHARS = 32_767
# python-calamine holds a sheet as a dense rectangle of 32-byte cells from its first to
# its last cell, and aborts the process when it cannot allocate it: 16 Mi cells is
# 512 MiB, a full Excel column by 16 columns. Merged ranges count too (openpyxl makes an
# object for every merged cell).
MAX_SHEET_CELLS = 1 << 24
EXCEL_ROWS, EXCEL_COLS = 1_048_576, 16_384
# workbook.xml and its relationships are parsed whole (to name sheets in messages).
MAX_INDEX_PART_BYTES = 8 * MIB
# Comments and processing instructions allowed before an XML part's first element.
MAX_PROLOG_BYTES = 64 * KIB
# The text of all shared-string cells, each counted once per cell that refers to it: what
# python-calamine copies into the cells (and the reader then turns into Python strings).
# A 100,000-row case uses a few tens of MiB; a shared-strings bomb asks for gigabytes.
MAX_SHARED_TEXT_BYTES = 128 * MIB
