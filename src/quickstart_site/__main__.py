import sys

from quickstart_site.build import main

sys.exit(main())
