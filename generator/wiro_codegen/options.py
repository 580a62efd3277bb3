"""How a package is rendered and where it goes: the one place that decides both."""

from __future__ import annotations

from dataclasses import dataclass

from wiro_codegen.errors import GeneratorError
from wiro_codegen.spec import Spec

EMIT_CHOICES = ("both", "client", "cli")
RUNTIME_CHOICES = ("dependency", "vendored")
#: The folder, beside the vendored tool modules, that holds the vendored runtime.
VENDORED_RUNTIME = "_runtime"


@dataclass(frozen=True)
class RenderOptions:
    """Where the package goes and what it holds.

    By default each tool is an installable distribution (`<distribution>/` with its
    pyproject and README). With `package_prefix` (`myapp._wiro`) it is vendored instead: only
    the module, at `myapp/_wiro/<module>/`, importable as `myapp._wiro.<module>`.
    `emit` chooses the client, the CLI, or both.
    """

    package_prefix: str | None = None
    emit: str = "both"
    #: "dependency": generated code imports the installed `wiro_runtime`; "vendored": one copy
    #: of the runtime goes under the package prefix and the modules import it relatively.
    runtime: str = "dependency"

    def __post_init__(self) -> None:
        if self.emit not in EMIT_CHOICES:
            raise GeneratorError(f"emit must be one of {', '.join(EMIT_CHOICES)}")
        if self.runtime not in RUNTIME_CHOICES:
            raise GeneratorError(f"runtime must be one of {', '.join(RUNTIME_CHOICES)}")
        if self.runtime == "vendored" and self.package_prefix is None:
            raise GeneratorError(
                "a vendored runtime needs a package prefix to live under",
                hint="add --package-prefix myapp._wiro (or drop --runtime vendored)",
            )
        if self.package_prefix is not None and not all(
            part.isidentifier() and part.isascii() for part in self.package_prefix.split(".")
        ):
            raise GeneratorError(
                f"package prefix {self.package_prefix!r} is not a dotted Python name",
                hint="use something like myapp._wiro",
            )

    @property
    def vendored(self) -> bool:
        return self.package_prefix is not None

    @property
    def emit_client(self) -> bool:
        return self.emit in ("both", "client")

    @property
    def emit_cli(self) -> bool:
        return self.emit in ("both", "cli")


DEFAULT_OPTIONS = RenderOptions()


@dataclass(frozen=True)
class Place:
    """Where one tool's package goes below the output directory."""

    #: The dotted name its module is imported by.
    import_path: str
    #: The folder of the module.
    module_dir: str
    #: The top folder of its files: the distribution, or the first part of a vendored path
    #: (which vendored tools share).
    top: str
    #: The folder swapped in whole: the distribution, or (vendored) the module's own folder.
    own: str


def place(spec: Spec, options: RenderOptions = DEFAULT_OPTIONS) -> Place:
    """Where `spec`'s package goes with these options."""
    if options.package_prefix:
        import_path = f"{options.package_prefix}.{spec.package.module}"
        module_dir = import_path.replace(".", "/")
        return Place(import_path, module_dir, module_dir.split("/", 1)[0], module_dir)
    distribution = spec.package.distribution
    module = spec.package.module
    return Place(module, f"{distribution}/{module}", distribution, distribution)


def runtime_import(options: RenderOptions) -> str:
    """What generated modules import the runtime as: `wiro_runtime`, or the vendored copy."""
    return f"..{VENDORED_RUNTIME}" if options.runtime == "vendored" else "wiro_runtime"
