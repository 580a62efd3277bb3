# DO NOT EDIT: generated from spec wiro/filters.yaml by `wiro-codegen generate`
"""`python -m wiro_filters`: the same as the `wiro-filters` command."""

from ._cli import main

raise SystemExit(main())
