"""Shared measuring: medians, percentiles, and the printed line of each benchmark."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    name: str
    median_s: float
    baseline_name: str
    baseline_median_s: float
    budget_ratio: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.median_s / self.baseline_median_s

    def line(self) -> str:
        verdict = ""
        if self.budget_ratio is not None:
            verdict = " within budget" if self.ratio <= self.budget_ratio else " OVER BUDGET"
            verdict = f" (budget ≤ {self.budget_ratio}){verdict}"
        return (
            f"{self.name}: median {self.median_s * 1000:.2f} ms; {self.baseline_name}: "
            f"{self.baseline_median_s * 1000:.2f} ms; ratio {self.ratio:.2f}{verdict}"
            + (f"; {self.note}" if self.note else "")
        )


def timings(action: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return samples


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))
    return ordered[index]
