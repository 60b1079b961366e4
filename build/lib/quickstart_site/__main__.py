import sys

from quickstart_site.cli import main

sys.exit(main())
