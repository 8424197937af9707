"""From a likelihood ratio to a posterior probability, and the candidate thresholds.

``posterior(lr, prior) = lr·π / (lr·π + 1 − π)`` is Bayes' theorem in odds form
(posterior odds = LR × prior odds) written as a probability.

The default prior is uniform over the victims not yet identified: with N of them
still missing, each has prior ``1/N`` of being the person a specimen came from
(`uniform_prior`). It is the usual DVI choice when nothing else distinguishes the
missing (the closed-disaster assumption: every specimen belongs to one of them).

Thresholds are named so that a report can cite them:

* `CANDIDATE_LR_FLOOR` = 10,000: an LR at or above it makes a victim a *candidate*
  for a specimen, to be reviewed by people. 10,000 is a common reporting floor in
  kinship-based DVI practice; with one of 183 victims as prior it gives a posterior of
  about 0.98, so it is a floor for review, not an identification.
* `STRONG_LR` = 1,000,000: an LR that alone moves a 1/183 prior above 0.9998.

Nothing here confirms an identification: `chosei` records a person's decision.
"""

from __future__ import annotations

import math

from chosei.kinship.errors import KinshipInputError

CANDIDATE_LR_FLOOR = 10_000.0
STRONG_LR = 1_000_000.0


def uniform_prior(n_unidentified: int) -> float:
    """1/N for N victims not yet identified."""
    if isinstance(n_unidentified, bool) or not isinstance(n_unidentified, int) or n_unidentified < 1:
        raise KinshipInputError(
            f"the number of unidentified victims must be a whole number >= 1, not {n_unidentified!r}"
        )
    return 1.0 / n_unidentified


def posterior(lr: float, prior: float) -> float:
    """P(H1 | data) from the LR and the prior probability of H1."""
    if isinstance(lr, bool) or not isinstance(lr, int | float) or math.isnan(lr) or lr < 0:
        raise KinshipInputError(f"lr must be a number >= 0, not {lr!r}")
    if isinstance(prior, bool) or not isinstance(prior, int | float) or not 0 <= prior <= 1:
        raise KinshipInputError(f"prior must be a probability in [0, 1], not {prior!r}")
    if math.isinf(lr):
        return 1.0 if prior > 0 else 0.0
    numerator = lr * prior
    denominator = numerator + 1 - prior
    return numerator / denominator if denominator > 0 else 1.0


def is_candidate(lr: float, floor: float = CANDIDATE_LR_FLOOR) -> bool:
    """True when the LR reaches the candidate floor."""
    return lr >= floor
