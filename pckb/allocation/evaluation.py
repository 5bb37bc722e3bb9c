"""How good is a coverage vector? Against a perfect attacker and against one who errs.

Payoffs of several attacker types are an array of shape ``(K, 4, n)`` (the four fields of
:data:`pckb.allocation.payoffs.PAYOFF_FIELDS` for every type) with priors ``(K,)`` summing to one.

* A **perfect** attacker of type ``k`` attacks a target of maximal expected utility; among the
  targets within :data:`TIE_TOLERANCE` of the maximum it picks the one best for the defender
  (strong Stackelberg tie-break).
* A **quantal-response** attacker with rationality ``lambda`` attacks target ``t`` with
  probability proportional to ``exp(lambda * U_a(t))`` (``lambda = 0``: uniformly at random; large
  ``lambda``: close to the perfect attacker).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pckb.allocation.payoffs import FloatArray

TIE_TOLERANCE = 1e-9
"""Relative tolerance under which two attacker utilities count as equal."""


@dataclass(frozen=True)
class Response:
    """Each type's best response to a coverage and the utilities it gives."""

    attacked: NDArray[np.intp]
    attacker_utility: FloatArray
    defender_utility: FloatArray


def utilities(coverage: FloatArray, payoffs: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Defender and attacker expected utility of every (type, target): two ``(K, n)`` arrays."""
    dc, du, ac, au = payoffs[:, 0], payoffs[:, 1], payoffs[:, 2], payoffs[:, 3]
    return du + coverage * (dc - du), au - coverage * (au - ac)


def best_responses(coverage: FloatArray, payoffs: FloatArray) -> Response:
    """Each type's attack under strong Stackelberg tie-breaking."""
    ud, ua = utilities(coverage, payoffs)
    top = ua.max(axis=1, keepdims=True)
    scale = np.maximum(1.0, np.abs(payoffs[:, 2:]).max(axis=(1, 2)))[:, None]
    ties = ua >= top - TIE_TOLERANCE * scale
    attacked = np.where(ties, ud, -np.inf).argmax(axis=1)
    rows = np.arange(payoffs.shape[0])
    return Response(attacked, ua[rows, attacked], ud[rows, attacked])


class Judge:
    """:func:`best_responses` for many coverages against the same payoffs, defender side only.

    The payoff differences and tie thresholds are computed once, the attacker utilities go into
    one reused buffer, and the defender's utility is computed only at each type's tied targets
    (usually one or two), so a call is a few passes over ``(K, n)`` instead of a dozen. The
    arithmetic is the same as :func:`best_responses`' (same results to the last bit).
    """

    def __init__(self, payoffs: FloatArray) -> None:
        self.au = payoffs[:, 3]
        self.loss = payoffs[:, 3] - payoffs[:, 2]
        self.du = payoffs[:, 1]
        self.gain = payoffs[:, 0] - payoffs[:, 1]
        self.slack = TIE_TOLERANCE * np.maximum(1.0, np.abs(payoffs[:, 2:]).max(axis=(1, 2)))
        self.buffer = np.empty_like(self.au)

    def defender_utility(self, coverage: FloatArray) -> FloatArray:
        """Each type's defender utility at its strong Stackelberg attack, shape ``(K,)``."""
        ua = np.multiply(coverage, self.loss, out=self.buffer)
        np.subtract(self.au, ua, out=ua)
        top = ua.max(axis=1)
        types, targets = np.nonzero(ua >= (top - self.slack)[:, None])
        tied = self.du[types, targets] + coverage[targets] * self.gain[types, targets]
        best = np.full(self.au.shape[0], -np.inf)
        np.maximum.at(best, types, tied)
        return best


def quantal_defender_utility(
    coverage: FloatArray, payoffs: FloatArray, priors: FloatArray, lam: float
) -> float:
    """Defender's expected utility when every type attacks by quantal response with ``lam``."""
    ud, ua = utilities(coverage, payoffs)
    logits = lam * ua
    logits -= logits.max(axis=1, keepdims=True)
    weights = np.exp(logits)
    per_type = (weights * ud).sum(axis=1) / weights.sum(axis=1)
    return float(priors @ per_type)


def evaluate(coverage: FloatArray, payoffs: FloatArray, priors: FloatArray, lam: float) -> dict[str, float]:
    """A coverage judged both ways: ``defender_utility_vs_perfect`` and ``defender_utility_vs_qr``
    (expected over types), and the corresponding expected losses (their negatives)."""
    perfect = float(priors @ best_responses(coverage, payoffs).defender_utility)
    quantal = quantal_defender_utility(coverage, payoffs, priors, lam)
    return {
        "defender_utility_vs_perfect": perfect,
        "defender_utility_vs_qr": quantal,
        "expected_loss_vs_perfect": -perfect,
        "expected_loss_vs_qr": -quantal,
    }
