"""A hatchling build hook: generate Wiro clients into the wheel at build time.

In the user's pyproject.toml:

    [build-system]
    requires = ["hatchling", "wiro-codegen"]
    build-backend = "hatchling.build"

    [tool.hatch.build.hooks.wiro]
    package-prefix = "myapp._wiro"            # modules go to myapp/_wiro/<module>/
    specs = "wiro-specs"                      # a directory of spec YAML files, and/or
    descriptions = ["wiro/inpainting.md"]     # description files or directories
    emit = "client"                           # "client", "cli" or "both" (default)

`pip wheel .` or `python -m build` then ships the generated modules, and nothing generated
needs committing.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface
from hatchling.plugin import hookimpl

from generator import pipeline
from generator.errors import GeneratorError
from generator.render import RenderOptions


class WiroBuildHook(BuildHookInterface[Any]):
    """Renders the configured tools as vendored modules and force-includes them."""

    PLUGIN_NAME = "wiro"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        config = self.config
        prefix = config.get("package-prefix")
        if not isinstance(prefix, str) or not prefix:
            raise GeneratorError(
                '[tool.hatch.build.hooks.wiro] needs package-prefix, e.g. "myapp._wiro"'
            )
        options = RenderOptions(package_prefix=prefix, emit=str(config.get("emit", "both")))
        root = Path(self.root)
        self._work = Path(tempfile.mkdtemp(prefix="wiro-build-"))
        specs = self._work / "specs"
        specs.mkdir()
        if config.get("specs"):
            shutil.copytree(root / str(config["specs"]), specs, dirs_exist_ok=True)
        descriptions = [str(root / str(item)) for item in config.get("descriptions", [])]
        if descriptions:
            outcome = pipeline.add(descriptions, specs, self._work / "unused", options=options)
            if outcome.failures:
                raise GeneratorError("; ".join(outcome.failures))
        out = self._work / "out"
        pipeline.generate(specs, out, options=options)
        include = build_data.setdefault("force_include", {})
        for path in sorted(out.rglob("*")):
            if path.is_file():
                include[str(path)] = path.relative_to(out).as_posix()
        # the prefix packages need their own __init__.py unless the project has them
        parts = prefix.split(".")
        for depth in range(1, len(parts) + 1):
            package = "/".join(parts[:depth])
            if not (root / package / "__init__.py").exists():
                marker = out / package / "__init__.py"
                marker.parent.mkdir(parents=True, exist_ok=True)
                marker.touch()
                include[str(marker)] = f"{package}/__init__.py"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        work = getattr(self, "_work", None)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


@hookimpl
def hatch_register_build_hook() -> type[WiroBuildHook]:
    return WiroBuildHook
