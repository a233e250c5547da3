"""``python -m staffvc``: the same as the ``staffvc`` command."""

import sys

from staffvc.cli import main

sys.exit(main())
