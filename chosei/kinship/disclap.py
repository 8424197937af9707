"""Y-STR haplotype frequencies by the discrete Laplace method.

Andersen, Eriksen & Morling, "The discrete Laplace exponential family and estimation
of Y-STR haplotype frequencies", J Theor Biol 329 (2013) 39-51; the reference code is
the R package disclapmix (Andersen). This is an independent implementation of the
published model with numpy.

**The model.** A population's haplotypes are a mixture of C clusters (clans of
paternal lines). Cluster j has a central haplotype y_j and, at locus k, a parameter
p_jk in (0, 1); a man of cluster j has, at each locus independently, an allele
differing from the centre by d repeats with the discrete Laplace probability
``(1 - p) / (1 + p) * p ** |d|``. The probability of a haplotype x is
``sum_j tau_j prod_k DL(x_k - y_jk; p_jk)``, tau the cluster weights. The p's are
``p_jk = exp(theta_j + lambda_k)``: a cluster effect plus a locus effect, few
parameters, as in the paper.

**Fitting** (`fit`): EM. E-step: each haplotype's probability of belonging to each
cluster. M-step: tau from those weights; each centre, per locus, the weighted median
(it minimises the weighted sum of |d|, the discrete Laplace likelihood's part that
depends on the centre); theta and lambda by coordinate-wise Newton steps on the
weighted log-likelihood (a Poisson-like GLM with log link, as disclapmix fits). Starts
are deterministic (the most common haplotype, then each next the one farthest from
the centres chosen), so the same database gives the same frequencies every run.
C = 1, 2, ... up to `max_clusters` (40) is fitted, stopping once BIC has risen three
times in a row, and the C with the lowest BIC kept
(parameters counted as disclapmix does: ``C*L`` centres, ``L + C - 1`` GLM
coefficients, ``C - 1`` weights; n = individuals x loci).

**A floor.** p is kept at least `P_MIN` (0.001): a database in which a locus never
varies would otherwise give p = 0 and any other allele there frequency 0.

**Alleles.** The model is on whole repeats: a microvariant counts as its whole part
(13.2 as 13). A multi-copy locus is one column per copy, copies sorted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from chosei import i18n
from chosei.kinship.errors import KinshipInputError

MAX_CLUSTERS = 40
"""The most clusters tried; BIC chooses among 1 .. MAX_CLUSTERS."""

PATIENCE = 3
"""Fitting stops once BIC has risen this many times in a row."""

P_MIN = 1e-3
"""The smallest p: a locus that never varies in the database is not taken as one that never varies."""

_ETA_MIN, _ETA_MAX = float(np.log(P_MIN)), -1e-6  # log p kept inside [P_MIN, 1)


@dataclass(frozen=True)
class DisclapModel:
    """A fitted mixture: centres (C x L), p (C x L), tau (C), and its BIC."""

    centres: NDArray[np.float64]
    p: NDArray[np.float64]
    tau: NDArray[np.float64]
    bic: float

    def probability(self, haplotypes: NDArray[np.float64], columns: list[int] | None = None) -> NDArray[np.float64]:
        """The model's probability of each row of `haplotypes` (N x L whole repeats).

        With `columns`, the rows hold only those loci: the probability is the marginal
        over the others (the loci are independent within a cluster, so they drop out)."""
        x = np.atleast_2d(np.asarray(haplotypes, dtype=float))
        cols = list(range(self.centres.shape[1])) if columns is None else columns
        if x.shape[1] != len(cols):
            raise KinshipInputError(i18n._("a haplotype needs {n_cols} loci, not {x_shape}").format(
                                        n_cols=len(cols), x_shape=x.shape[1]))
        log = _log_components(x, self.centres[:, cols], self.p[:, cols], self.tau)
        density: NDArray[np.float64] = np.exp(log).sum(axis=1)
        return density


def fit(haplotypes: NDArray[np.float64], counts: NDArray[np.float64], max_clusters: int = MAX_CLUSTERS) -> DisclapModel:
    """The mixture with the lowest BIC for distinct `haplotypes` (N x L) seen `counts` times."""
    x = np.asarray(haplotypes, dtype=float)
    w = np.asarray(counts, dtype=float)
    if x.ndim != 2 or len(x) == 0 or x.shape[1] == 0 or len(w) != len(x) or np.any(w <= 0):
        raise KinshipInputError(i18n._("the discrete Laplace fit needs at least one haplotype with a positive count"))
    best: DisclapModel | None = None
    worse = 0
    for clusters in range(1, min(max_clusters, len(x)) + 1):
        model = _fit_clusters(x, w, clusters)
        if best is None or model.bic < best.bic:
            best, worse = model, 0
        else:
            worse += 1
            if worse == PATIENCE:  # BIC keeps rising: more clusters only overfit
                break
    assert best is not None
    return best


def _fit_clusters(x: NDArray[np.float64], w: NDArray[np.float64], clusters: int, iterations: int = 200) -> DisclapModel:
    n, loci = x.shape
    centres = _starts(x, w, clusters)
    theta = np.zeros(clusters)
    lam = np.full(loci, -1.0)
    tau = np.full(clusters, 1 / clusters)
    v = np.full((n, clusters), 1 / clusters)
    last = -np.inf
    for _ in range(iterations):
        p = np.exp(np.clip(theta[:, None] + lam[None, :], _ETA_MIN, _ETA_MAX))
        logc = _log_components(x, centres, p, tau)
        top = logc.max(axis=1, keepdims=True)
        marginal = top[:, 0] + np.log(np.exp(logc - top).sum(axis=1))
        loglik = float(w @ marginal)
        v = np.exp(logc - marginal[:, None])
        if loglik - last < 1e-8 * max(1.0, abs(loglik)):
            break
        last = loglik
        r = w[:, None] * v  # weight of each haplotype in each cluster
        tau = np.maximum(r.sum(axis=0) / w.sum(), 1e-300)
        centres = np.stack([_weighted_median(x, r[:, j]) for j in range(clusters)])
        big_w = r.sum(axis=0)  # per cluster
        dist = np.einsum("ij,ijk->jk", r, np.abs(x[:, None, :] - centres[None, :, :]))  # C x L
        theta, lam = _newton(theta, lam, big_w, dist)
    p = np.exp(np.clip(theta[:, None] + lam[None, :], _ETA_MIN, _ETA_MAX))
    logc = _log_components(x, centres, p, tau)
    top = logc.max(axis=1, keepdims=True)
    loglik = float(w @ (top[:, 0] + np.log(np.exp(logc - top).sum(axis=1))))
    k = clusters * loci + (loci + clusters - 1) + (clusters - 1)
    bic = np.log(w.sum() * loci) * k - 2 * loglik
    return DisclapModel(centres, p, tau, float(bic))


def _log_components(
    x: NDArray[np.float64], centres: NDArray[np.float64], p: NDArray[np.float64], tau: NDArray[np.float64],
) -> NDArray[np.float64]:
    """log(tau_j * prod_k DL(x_ik - y_jk; p_jk)), N x C."""
    d = np.abs(x[:, None, :] - centres[None, :, :])
    logp = np.log(p)
    log: NDArray[np.float64] = (
        np.log(tau)[None, :] + (np.log1p(-p) - np.log1p(p)).sum(axis=1)[None, :] + (d * logp[None]).sum(axis=2)
    )
    return log


def _newton(theta: NDArray[np.float64], lam: NDArray[np.float64], big_w: NDArray[np.float64], dist: NDArray[np.float64],
            sweeps: int = 4) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Coordinate-wise Newton on sum_jk [W_j log((1-p)/(1+p)) + D_jk log p], log p = theta_j + lambda_k.

    The gradient in log p is ``D - W * 2p / (1 - p^2)`` (observed minus expected |d|);
    each coordinate step is damped to keep log p below 0.
    """
    theta, lam = theta.copy(), lam.copy()
    for _ in range(sweeps):
        for axis in (0, 1):
            eta = np.clip(theta[:, None] + lam[None, :], _ETA_MIN, _ETA_MAX)
            p = np.exp(eta)
            grad = dist - big_w[:, None] * 2 * p / (1 - p**2)
            hess = big_w[:, None] * 2 * p * (1 + p**2) / (1 - p**2) ** 2
            g, h = grad.sum(axis=1 - axis), hess.sum(axis=1 - axis)
            step = np.where(h > 1e-300, g / np.maximum(h, 1e-300), 0.0)
            step = np.clip(step, -5.0, 1.0)
            if axis == 0:
                theta = theta + step
                theta -= np.maximum(0.0, (theta[:, None] + lam[None, :]).max(axis=1) - _ETA_MAX * 10)
            else:
                lam = lam + step
                lam -= np.maximum(0.0, (theta[:, None] + lam[None, :]).max(axis=0) - _ETA_MAX * 10)
            theta = np.maximum(theta, _ETA_MIN - lam.max())
    return theta, lam


def _weighted_median(x: NDArray[np.float64], weights: NDArray[np.float64]) -> NDArray[np.float64]:
    """Per column, the smallest value where the cumulative weight reaches half."""
    out = np.empty(x.shape[1])
    total = weights.sum()
    for k in range(x.shape[1]):
        order = np.argsort(x[:, k], kind="stable")
        cum = np.cumsum(weights[order])
        out[k] = x[order[np.searchsorted(cum, total / 2)], k] if total > 0 else x[order[0], k]
    return out


def _starts(x: NDArray[np.float64], w: NDArray[np.float64], clusters: int) -> NDArray[np.float64]:
    """The most common haplotype (first in order among equals), then farthest-first in L1."""
    chosen = [int(np.argmax(w))]
    nearest = np.abs(x - x[chosen[0]]).sum(axis=1)
    while len(chosen) < clusters:
        nxt = int(np.argmax(nearest * w))
        chosen.append(nxt)
        nearest = np.minimum(nearest, np.abs(x - x[nxt]).sum(axis=1))
    return x[chosen].copy()
