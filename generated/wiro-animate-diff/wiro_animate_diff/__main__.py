# DO NOT EDIT: generated from spec wiro/animate-diff.yaml by `wiro-codegen generate`
"""`python -m wiro_animate_diff`: the same as the `wiro-animate-diff` command."""

from ._cli import main

raise SystemExit(main())
