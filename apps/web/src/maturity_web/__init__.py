"""
maturity-web: a self-hosted web assessment service on maturity-core.

Organisations self-assess against any installed model pack, assessors
rate independently and a lead assessor consolidates, results are exact and
live, and an assessing body sees its population.  Start it with
``maturity-web serve``; embed it with :func:`create_app`.
"""

from __future__ import annotations

from .app import create_app


__all__ = ["create_app"]
