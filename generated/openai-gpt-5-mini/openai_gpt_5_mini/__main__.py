# DO NOT EDIT: generated from spec openai/gpt-5-mini.yaml by `wiro-codegen generate`
"""`python -m openai_gpt_5_mini`: the same as the `openai-gpt-5-mini` command."""

from ._cli import main

raise SystemExit(main())
