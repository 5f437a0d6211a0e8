"""`python -m reader` is the `reader` command."""

import sys

from reader.startup import launch

sys.exit(launch())
