# DO NOT EDIT: generated from spec klingai/image-to-video-klingai-v1.6.yaml by `wiro-codegen generate`
"""`python -m klingai_image_to_video_klingai_v1_6`: the same as the
`klingai-image-to-video-klingai-v1-6` command.
"""

from ._cli import main

raise SystemExit(main())
