"""What the Ray tests' workers import: the inpainting tool's transform, made to say which
process each of its workers is, so that a test can kill one."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from wiro_image_inpainting_sd.ray import Transform


class TellingTransform(Transform):
    """The tool's transform; each worker writes its process id into `PIDS_DIR` as it
    starts a batch."""

    def __call__(self, batch: Mapping[str, Sequence[Any]]) -> dict[str, list[Any]]:
        folder = Path(os.environ["WIRO_TEST_PIDS_DIR"])
        (folder / str(os.getpid())).touch()
        return super().__call__(batch)
