# DO NOT EDIT: generated from spec wiro/professional-headshot.yaml by `wiro-codegen generate`
"""`python -m wiro_professional_headshot`: the same as the `wiro-professional-headshot` command."""

from ._cli import main

raise SystemExit(main())
