"""In a clone of this repository, `python -m generator` is `wiro-codegen`.

The generator itself is the `wiro_codegen` package below this folder (installed by the
`wiro-codegen` distribution); a top-level name as common as `generator` is never installed.
"""
