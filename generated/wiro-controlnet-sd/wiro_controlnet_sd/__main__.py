# DO NOT EDIT: generated from spec wiro/controlnet-sd.yaml by `wiro-codegen generate`
"""`python -m wiro_controlnet_sd`: the same as the `wiro-controlnet-sd` command."""

from ._cli import main

raise SystemExit(main())
