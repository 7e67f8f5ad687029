"""DB12/T 1073-2021 as a maturity-core model pack; the data is pack.json."""
