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
    runtime = "dependency"                    # or "vendored": a copy of the runtime inside

`pip wheel .` or `python -m build` then ships the generated modules, and nothing generated
needs committing. With `runtime = "dependency"` the wheel requires the wiro-runtime series the
modules were generated for; with `"vendored"` it requires only the runtime's own dependencies.
`pip install -e .` writes the modules into the source tree instead (editable installs import
from there), so that folder belongs in `.gitignore`.
"""

from __future__ import annotations

import shutil
import tempfile
from importlib.metadata import requires
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface
from hatchling.plugin import hookimpl

from wiro_codegen import pipeline
from wiro_codegen.context import RUNTIME_REQUIREMENT
from wiro_codegen.errors import GeneratorError
from wiro_codegen.options import RenderOptions
from wiro_codegen.output import write_vendored

SECTION = "[tool.hatch.build.hooks.wiro]"


def runtime_dependencies(runtime: str) -> list[str]:
    """What the built wheel must require for its generated modules to import."""
    if runtime == "dependency":
        return [RUNTIME_REQUIREMENT]
    return [item for item in requires("wiro-runtime") or [] if "extra ==" not in item]


def _options(config: dict[str, Any]) -> RenderOptions:
    prefix = config.get("package-prefix")
    if not isinstance(prefix, str) or not prefix:
        raise GeneratorError(f'{SECTION} needs package-prefix, e.g. "myapp._wiro"')
    return RenderOptions(
        package_prefix=prefix,
        emit=str(config.get("emit", "both")),
        runtime=str(config.get("runtime", "dependency")),
    )


def render_tree(root: Path, config: dict[str, Any], work: Path) -> dict[str, str]:
    """Every generated file (relative path -> text) for the hook's configuration."""
    options = _options(config)
    specs = work / "specs"
    specs.mkdir(parents=True)
    if config.get("specs"):
        shutil.copytree(root / str(config["specs"]), specs, dirs_exist_ok=True)
    descriptions = [str(root / str(item)) for item in config.get("descriptions", [])]
    if descriptions:
        outcome = pipeline.add(descriptions, specs, work / "unused", cache=False, options=options)
        if outcome.failures:
            if len(outcome.failures) == 1:
                raise outcome.failures[0]
            raise GeneratorError("\n".join(str(failure) for failure in outcome.failures))
    out = work / "out"
    pipeline.generate(specs, out, cache=False, options=options)
    files = {
        path.relative_to(out).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }
    # the prefix packages need their own __init__.py unless the project has them
    parts = str(options.package_prefix).split(".")
    for depth in range(1, len(parts) + 1):
        package = "/".join(parts[:depth])
        if not (root / package / "__init__.py").exists():
            files.setdefault(f"{package}/__init__.py", "")
    return files


class WiroBuildHook(BuildHookInterface[Any]):
    """Renders the configured tools as vendored modules and adds them to the wheel."""

    PLUGIN_NAME = "wiro"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        self._work = Path(tempfile.mkdtemp(prefix="wiro-build-"))
        files = render_tree(root, self.config, self._work)
        build_data.setdefault("dependencies", []).extend(
            runtime_dependencies(str(self.config.get("runtime", "dependency")))
        )
        if version == "editable":
            # an editable wheel imports the project from its source tree: the modules go there
            write_vendored(root, files)
            return
        staged = self._work / "staged"
        write_vendored(staged, files)
        include = build_data.setdefault("force_include", {})
        for relative in files:
            include[str(staged / relative)] = relative

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        work = getattr(self, "_work", None)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


@hookimpl
def hatch_register_build_hook() -> type[WiroBuildHook]:
    return WiroBuildHook
