"""Display of exact numbers."""

from __future__ import annotations

from fractions import Fraction

import pytest

from maturity_core._format import decimal, fmt


class TestDecimal:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (Fraction(51, 20), "2.55"),
            (Fraction(1599, 2000), "0.79"),
            (Fraction(3), "3.00"),
            (Fraction(1, 3), "0.33"),
            (Fraction(0), "0.00"),
        ],
    )
    def test_truncates_to_two_places(self, value, expected):
        """Decimals are truncated, never rounded up past a threshold."""
        assert expected == decimal(value)


class TestFmt:
    def test_exact_values_show_plainly(self):
        """A value exact in four places is shown as such."""
        assert "0.8" == fmt(Fraction(4, 5))

    def test_inexact_values_are_marked(self):
        """Other values show four truncated places and an ellipsis."""
        assert "0.3333…" == fmt(Fraction(1, 3))
