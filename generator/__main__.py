"""`python -m generator ...` from a clone of this repository: the same as `wiro-codegen ...`."""

from wiro_codegen.__main__ import main

raise SystemExit(main())
