# DO NOT EDIT: generated from spec wiro/wan2-2-effects-extra.yaml by `wiro-codegen generate`
"""`python -m wiro_wan2_2_effects_extra`: the same as the `wiro-wan2-2-effects-extra` command."""

from ._cli import main

raise SystemExit(main())
