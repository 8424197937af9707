"""From likelihood ratios to posterior probabilities over a closed set, and the thresholds.

The Chosei mine is a closed disaster: every bone belongs to one of the men on the
expected roster (183), so the candidates for a specimen S are all of them at once,
not one victim at a time. With a uniform prior over the N expected victims and,
optionally, a prior mass P for "none of them" (an unrelated man, LR 1 by definition),
Bayes' theorem over the whole set gives (`closed_set`)::

    π = (1 − P) / N
    D = π · (Σ_W LR(S, W) + n_uncompared) + P
    posterior(S, V)  = π · LR(S, V) / D
    remainder(S)     = π · n_uncompared / D    "a victim with no usable relatives"
    open_share(S)    = P / D                   "none of the N"

The sum runs over the victims compared; the n_uncompared = N − compared victims (no
usable relatives, not yet entered, or not computable) count with LR 1: nothing is
known for them. Posteriors, remainder and open share of one specimen sum to 1. With
P = 0 (the default) this is LR(S, V) / (Σ_W LR(S, W) + n_uncompared). Two victims with
the same evidence (brothers whose surviving brother is the donor for both) get the
same LR and so split the posterior: neither can pass 1/2.

Thresholds are named so that a report can cite them:

* `CANDIDATE_LR_FLOOR` = 10,000: an LR at or above it makes a victim a *candidate*
  for a specimen, to be reviewed by people. 10,000 is a common reporting floor in
  kinship-based DVI practice; against 182 uncompared victims it gives a posterior of
  about 0.98, so it is a floor for review, not an identification.
* `STRONG_LR` = 1,000,000: an LR that alone moves a 1/183 prior above 0.9998.

Nothing here confirms an identification: `chosei` records a person's decision.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from chosei.i18n import _
from chosei.kinship.errors import KinshipInputError

CANDIDATE_LR_FLOOR = 10_000.0
STRONG_LR = 1_000_000.0


class ClosedSet(NamedTuple):
    """`closed_set`'s answer: same shape as the LRs, and one remainder / open share per row."""

    posteriors: NDArray[np.float64]
    remainder: NDArray[np.float64]  # per specimen (a 0-d array for one row): a victim with no usable relatives
    open_share: NDArray[np.float64]  # per specimen: none of the expected victims


def closed_set(lrs: object, n_expected: int, open_prior: float = 0.0) -> ClosedSet:
    """Posteriors of specimens (rows) × compared victims (columns) over the expected roster.

    `lrs` is a 2-D array (or one row, 1-D) of finite LRs >= 0; `n_expected` the victims
    on the roster (compared or not); `open_prior` the prior mass P for "none of them".
    See the module docstring for the formula.
    """
    arr = np.asarray(lrs, dtype=float)
    if arr.ndim not in (1, 2):
        raise KinshipInputError(_("lrs must be one row or a table of LRs, not an array of {dimensions} dimensions")
                                .format(dimensions=arr.ndim))
    if isinstance(n_expected, bool) or not isinstance(n_expected, int | np.integer) or n_expected < 1:
        raise KinshipInputError(_("n_expected must be a whole number >= 1, not {n_expected!r}").format(
                                    n_expected=n_expected))
    if isinstance(open_prior, bool) or not isinstance(open_prior, int | float) or not 0 <= open_prior < 1:
        raise KinshipInputError(_("open_prior must be a probability at least 0 and below 1, not {open_prior!r}").format(
                                    open_prior=open_prior))
    compared = arr.shape[-1]
    if compared > n_expected:
        raise KinshipInputError(_("{compared} victims compared but only {n_expected} expected; the expected "
                                  "roster must count every victim").format(compared=compared, n_expected=n_expected))
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise KinshipInputError(_("every LR must be a finite number >= 0"))
    uncompared = n_expected - compared
    # Scale each row by its largest LR (at least 1) so that sums of huge LRs never overflow.
    scale = np.maximum(arr.max(axis=-1, initial=1.0), 1.0)
    scaled = arr / scale[..., None]
    pi = (1.0 - open_prior) / n_expected
    weights = pi * scaled.sum(axis=-1) + (pi * uncompared + open_prior) / scale
    return ClosedSet(pi * scaled / weights[..., None], pi * uncompared / scale / weights,
                     open_prior / scale / weights)


def is_candidate(lr: float, floor: float = CANDIDATE_LR_FLOOR) -> bool:
    """True when the LR reaches the candidate floor."""
    return lr >= floor
