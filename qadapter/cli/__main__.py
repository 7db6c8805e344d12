"""``python -m qadapter.cli ...``: the ``qadapter`` command (what launchers like torchrun run)."""

import sys

from . import main

sys.exit(main())
