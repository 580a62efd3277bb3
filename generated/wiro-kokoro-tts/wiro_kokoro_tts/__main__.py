# DO NOT EDIT: generated from spec wiro/kokoro_tts.yaml by `wiro-codegen generate`
"""`python -m wiro_kokoro_tts`: the same as the `wiro-kokoro-tts` command."""

from ._cli import main

raise SystemExit(main())
