"""`python -m generator ...` in a clone of this repository: the same as `wiro-codegen ...`.

The generator is the `wiro_codegen` package in this folder, installed by the wiro-codegen
distribution. This folder is not a package and is never installed, so a user's own module
named `generator` is never shadowed by ours, nor ours by it (use `wiro-codegen` there).
"""

from wiro_codegen.__main__ import main

raise SystemExit(main())
