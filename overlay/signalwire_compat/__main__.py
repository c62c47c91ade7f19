"""``python -m signalwire_compat``: the operators' command line (see ``_cli/``)."""

from ._cli import main

raise SystemExit(main())
