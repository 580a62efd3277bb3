# DO NOT EDIT: generated from spec wiro/image-inpainting-sd.yaml by `wiro-codegen generate`
"""`python -m wiro_image_inpainting_sd`: the same as the `wiro-image-inpainting-sd` command."""

from ._cli import main

raise SystemExit(main())
