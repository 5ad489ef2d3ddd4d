"""`python -m sijill`: the same as the `sijill` command."""
import sys

from sijill.desktop.app import main

sys.exit(main())
