"""``python -m hamish.tui.cli``: the same as the ``hamish`` command."""

import sys

from . import main

sys.exit(main())
