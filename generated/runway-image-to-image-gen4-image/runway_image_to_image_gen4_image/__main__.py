# DO NOT EDIT: generated from spec Runway/image-to-image-gen4-image.yaml by `wiro-codegen generate`
"""`python -m runway_image_to_image_gen4_image`: the same as the
`runway-image-to-image-gen4-image` command.
"""

from ._cli import main

raise SystemExit(main())
