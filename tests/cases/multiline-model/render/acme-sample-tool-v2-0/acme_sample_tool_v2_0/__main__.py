# DO NOT EDIT: generated from spec acme/sample-tool-v2.0.yaml by `wiro-codegen generate`
"""`python -m acme_sample_tool_v2_0`: the same as the `acme-sample-tool-v2-0` command."""

from ._cli import main

raise SystemExit(main())
