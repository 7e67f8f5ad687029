"""Hypothesis settings profiles for every test tree (core, packs, apps).

No profile has a deadline: the suite runs on shared machines, and a
wall-clock limit per example would make its results depend on the load.
Speed is measured by the benchmarks, not by the tests.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings


settings.register_profile(
    "dev",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    max_examples=3000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
