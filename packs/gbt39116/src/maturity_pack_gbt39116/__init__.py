"""GB/T 39116-2020 / GB/T 39117-2020 as a maturity-core model pack (derived)."""
