"""Is this runtime the one a generated package was made for? Checked when the package imports.

A generated package records the runtime release it was generated against; any later release
with the same major.minor serves it (0.x minors may break, as do majors from 1.0). A mismatch
is an ImportError naming both versions and the fix, rather than an AttributeError deep inside
a call later (protobuf's generated code does the same with its runtime).
"""

from __future__ import annotations

VERSION = "0.1.0"
__version__ = VERSION


def _parts(version: str) -> tuple[int, int, int]:
    numbers = [int(part) for part in version.split(".")[:3] if part.isdigit()]
    numbers += [0] * (3 - len(numbers))
    return numbers[0], numbers[1], numbers[2]


def compatible_range(version: str = VERSION) -> str:
    """The requirement a package generated against `version` puts on the runtime."""
    major, minor, _ = _parts(version)
    upper = f"{major}.{minor + 1}" if major == 0 else f"{major + 1}"
    return f"wiro-runtime>={version},<{upper}"


def require_runtime(generated_for: str, package: str) -> None:
    """Raise ImportError unless this runtime can serve code generated against `generated_for`."""
    have, want = _parts(VERSION), _parts(generated_for)
    same_series = have[:2] == want[:2] if want[0] == 0 else have[0] == want[0]
    if same_series and have >= want:
        return
    requirement = compatible_range(generated_for)
    raise ImportError(
        f"{package} was generated for {requirement}, but wiro-runtime {VERSION} is installed; "
        f"fix: pip install '{requirement}', or regenerate {package} with a wiro-codegen "
        f"that matches wiro-runtime {VERSION}"
    )
