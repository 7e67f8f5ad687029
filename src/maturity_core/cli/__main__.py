"""``python -m maturity_core.cli``: the ``maturity`` command."""

from maturity_core.cli import main


main()
