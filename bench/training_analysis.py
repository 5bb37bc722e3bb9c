"""Benchmark of the knowledge-test statistics (``python bench/training_analysis.py [--participants N]``).

Simulates a training conference's pre- and post-test (Rasch-like 0/1 items, single-answer with 4 options,
2 % non-responses, participants from 63 agencies, items spread over 5 topics) and times, as p50 over
``--runs`` runs after two warm-ups:

* ``item_analysis`` of the post-test with distractor counts;
* the learning gain: ``learning_gain`` on the totals, ``aggregate_gain`` by agency, and per-topic gains
  (``topic_scores`` of both tests, then ``learning_gain`` per topic);
* the two together (the figure the target of 1 s applies to).

Writes ``bench/results/training_analysis.json`` and prints a summary.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path
from statistics import median

import numpy as np

from pckb.training.analysis import aggregate_gain, item_analysis, learning_gain, topic_scores

RESULTS = Path(__file__).resolve().parent / "results" / "training_analysis.json"
TARGET_SECONDS = 1.0


def simulate(n_p: int, n_i: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Pre/post score matrices, post-test option choices, agencies and item topics."""
    difficulty = rng.normal(0, 1, n_i)
    ability = rng.normal(-0.3, 1, n_p)
    correct_option = rng.integers(0, 4, n_i)

    def sit(shift: float) -> tuple[np.ndarray, np.ndarray]:
        prob = 1 / (1 + np.exp(-(ability[:, None] + shift - difficulty)))
        right = rng.random((n_p, n_i)) < prob
        wrong = (correct_option + rng.integers(1, 4, (n_p, n_i))) % 4
        responses = np.where(right, correct_option, wrong)
        scores = right.astype(float)
        missing = rng.random((n_p, n_i)) < 0.02
        scores[missing] = np.nan
        responses[missing] = -1
        return scores, responses

    pre, _ = sit(0.0)
    post, responses = sit(0.8)
    absent = rng.random(n_p) < 0.05  # missed the pre-test
    pre[absent] = np.nan
    return {
        "pre": pre,
        "post": post,
        "responses": responses,
        "agency": rng.integers(0, 63, n_p),
        "topics": rng.integers(0, 5, n_i),
    }


def p50(fn: Callable[[], object], runs: int) -> float:
    for _ in range(2):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    d = simulate(args.participants, args.items, rng)
    max_marks = np.ones(args.items)
    n_options = np.full(args.items, 4)

    def analysis() -> object:
        return item_analysis(d["post"], max_marks, d["responses"], n_options)

    def gains() -> object:
        sat_pre = ~np.isnan(d["pre"]).all(axis=1)
        pre_total = np.where(sat_pre, np.nansum(d["pre"], axis=1), np.nan)
        post_total = np.nansum(d["post"], axis=1)
        overall = learning_gain(pre_total, post_total, max_marks.sum())
        by_agency = aggregate_gain(pre_total, post_total, max_marks.sum(), d["agency"])
        before = topic_scores(d["pre"], d["topics"], max_marks)
        after = topic_scores(d["post"], d["topics"], max_marks)
        per_topic = [
            learning_gain(before.scores[:, t], after.scores[:, t], before.max_marks[t])
            for t in range(len(before.topics))
        ]
        return overall, by_agency, per_topic

    def both() -> object:
        return analysis(), gains()

    t_analysis = p50(analysis, args.runs)
    t_gains = p50(gains, args.runs)
    t_both = p50(both, args.runs)

    result = analysis()
    overall, by_agency, _ = gains()
    s = result.summary
    report = {
        "participants": args.participants,
        "items": args.items,
        "runs": args.runs,
        "p50_seconds": {"item_analysis": t_analysis, "learning_gain": t_gains, "total": t_both},
        "target_seconds": TARGET_SECONDS,
        "within_target": t_both <= TARGET_SECONDS,
        "sanity": {
            "mean": s.mean,
            "sd": s.sd,
            "cronbach_alpha": s.cronbach_alpha,
            "alpha_se": s.alpha_se,
            "median_discrimination_pct": float(np.nanmedian(result.column("discrimination_pct"))),
            "hake_gain": overall.summary.hake_gain,
            "mean_gain": overall.summary.mean_gain,
            "agencies": len(by_agency),
        },
        "machine": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
        },
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2), encoding="utf-8")

    print(f"{args.participants:,} participants x {args.items} items, p50 over {args.runs} runs:")
    rows = [
        ("item analysis (with distractors)", t_analysis),
        ("learning gain (overall, agencies, topics)", t_gains),
        ("both", t_both),
    ]
    for label, seconds in rows:
        print(f"  {label:<42} {1000 * seconds:8.1f} ms")
    verdict = "within" if t_both <= TARGET_SECONDS else "OVER"
    print(f"  {verdict} the {TARGET_SECONDS:g} s target")
    print(f"  alpha = {s.cronbach_alpha:.3f} ± {s.alpha_se:.4f}, Hake gain = {overall.summary.hake_gain:.3f}")
    print(f"  -> {RESULTS}")


if __name__ == "__main__":
    main()
