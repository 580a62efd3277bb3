# DO NOT EDIT: generated from spec Qwen/Qwen-Image-Fast.yaml by `wiro-codegen generate`
"""`python -m qwen_qwen_image_fast`: the same as the `qwen-qwen-image-fast` command."""

from ._cli import main

raise SystemExit(main())
