# DO NOT EDIT: generated from spec wiro/avatarmotion.yaml by `wiro-codegen generate`
"""`python -m wiro_avatarmotion`: the same as the `wiro-avatarmotion` command."""

from ._cli import main

raise SystemExit(main())
