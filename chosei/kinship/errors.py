"""Errors the kinship library raises on purpose.

All derive from `ValueError` (they are about the values passed in) through
`KinshipError`, so a caller may catch one class. Each message names the argument,
marker or allele at fault and says what to change. The library never prints: the CLI
maps these to its exit codes.
"""

from __future__ import annotations


class KinshipError(ValueError):
    """Base class of every error raised on purpose by `chosei.kinship`."""


class KinshipInputError(KinshipError):
    """An argument is malformed: an allele, genotype, frequency, term or option."""


class UnknownMarkerError(KinshipInputError):
    """A profile holds a marker that the frequency table does not list."""


class InconsistentFamilyError(KinshipError):
    """The relatives' genotypes cannot arise from the stated relationships.

    Raised when even the alternative hypothesis (specimen unrelated) has likelihood 0
    at a marker, so no LR exists: a typing error, a wrong relationship, or a
    mutation that needs a mutation model.
    """


class ComplexityError(KinshipError):
    """The exact computation would need more memory or time than allowed."""
