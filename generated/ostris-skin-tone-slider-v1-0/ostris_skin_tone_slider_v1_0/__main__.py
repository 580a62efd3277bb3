# DO NOT EDIT: generated from spec Ostris/Skin Tone Slider v1.0.yaml by `wiro-codegen generate`
"""`python -m ostris_skin_tone_slider_v1_0`: the same as the `ostris-skin-tone-slider-v1-0`
command.
"""

from ._cli import main

raise SystemExit(main())
