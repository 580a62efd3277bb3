"""The spec: a frozen, self-contained description of one tool that every template reads from.

It is the contract between parsing and rendering, committed as YAML and reviewed like code, so
loading validates everything a hand edit could break (identifiers, closed vocabularies).
"""

from __future__ import annotations

import keyword
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from wiro_codegen import naming
from wiro_codegen.errors import GeneratorError, Location
from wiro_codegen.spec_prices import pricing_from_dict, pricing_to_dict
from wiro_codegen.typemap import OUTPUT_KINDS, infer_output_kind
from wiro_codegen.yamlfiles import parse_yaml, read_text
from wiro_runtime._protocol.pricing import Pricing

SCHEMA_VERSION = 1

#: Python types an input can have; templates turn each into an annotation.
PYTHON_TYPES = ("str", "int", "float", "bool", "literal", "list[str]", "file", "files")
SOURCE_FORMATS = ("markdown", "tool-detail")
#: How a value goes on the wire: in a JSON body, and as multipart parts for `files`.
WIRE_TYPES = ("string", "number", "boolean", "string_list", "files")

Default = str | int | float | bool | None

#: Base URLs end up inside generated shell and Python code, so only plain URL characters pass.
BASE_URL_PATTERN = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~-]+)*/?")


@dataclass(frozen=True)
class Option:
    """One choice of a select input."""

    value: str
    label: str
    description: str | None = None
    trigger_words: tuple[str, ...] = ()
    generate_settings: str | None = None


@dataclass(frozen=True)
class Input:
    """One tool input, with its wire name and the Python name decided once, here."""

    wire_name: str
    python_name: str
    cli_flag: str
    label: str
    help: str
    wiro_type: str
    python_type: str
    wire_type: str
    default: Default = None
    required: bool = False
    options: tuple[Option, ...] = ()
    #: What the description shows as a default where it cannot be a value (sample file names).
    sample: str | None = None
    #: Bounds and step from /Tool/Detail; markdown descriptions carry none.
    minimum: int | float | None = None
    maximum: int | float | None = None
    step: int | float | None = None
    #: A text input that takes the URL of a file (`inputImageUrl`): clients upload local data.
    file_url: bool = False

    @property
    def choices(self) -> tuple[str, ...]:
        """Distinct option values in description order."""
        return tuple(dict.fromkeys(option.value for option in self.options))

    @property
    def distinct_options(self) -> tuple[Option, ...]:
        """One option per distinct value, in description order, labelled by its last option
        (a description that lists a value twice means the later entry)."""
        last = {option.value: option for option in reversed(self.options)}
        return tuple(last[value] for value in self.choices)

    @property
    def closed_choices(self) -> bool:
        """Whether only the listed option values are accepted."""
        return self.python_type == "literal" or (
            self.python_type == "list[str]" and bool(self.options)
        )


@dataclass(frozen=True)
class Tool:
    """Who the tool is and what it says about itself."""

    owner: str
    slug: str
    name: str
    family: str
    description: str
    cover: str | None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    #: What the tool makes: image, video, audio or text (inferred from the categories and
    #: inputs; edit it in the spec when Wiro's data says otherwise).
    output_kind: str = "image"


@dataclass(frozen=True)
class Package:
    """Names of the generated package."""

    distribution: str
    module: str
    command: str
    model_class: str
    #: Moves with the spec: major on a breaking change (see `wiro-codegen update`).
    version: str = "0.1.0"


@dataclass(frozen=True)
class Endpoints:
    """Where the tool's API lives; paths are unencoded, the runtime encodes each segment."""

    base_url: str
    run: str
    task_detail: str
    task_cancel: str
    task_kill: str


#: The groups of statuses a spec lists.
STATUS_GROUPS = ("success", "cancel", "running")


@dataclass(frozen=True)
class Statuses:
    """Task statuses as the description lists them."""

    success: tuple[str, ...]
    cancel: tuple[str, ...]
    running: tuple[str, ...]


@dataclass(frozen=True)
class Auth:
    """Header names of Wiro's two auth modes."""

    api_key_header: str = "x-api-key"
    nonce_header: str = "x-nonce"
    signature_header: str = "x-signature"
    modes: tuple[str, ...] = ("signature", "api_key")


@dataclass(frozen=True)
class Source:
    """Where the spec came from: the description kept beside it, its format and URL if any,
    or the catalogue tool (`owner/slug`) it was fetched as, and the day it was fetched."""

    description_file: str
    format: str = "markdown"
    url: str | None = None
    catalog: str | None = None
    #: The day (YYYY-MM-DD) the source was fetched, for sources fetched from Wiro.
    fetched: str | None = None


@dataclass(frozen=True)
class Example:
    """One example parameter set from the description's "Inspires" section."""

    values: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Spec:
    """Everything the templates need to emit one tool's package."""

    tool: Tool
    package: Package
    endpoints: Endpoints
    statuses: Statuses
    auth: Auth
    source: Source
    inputs: tuple[Input, ...] = field(default_factory=tuple)
    examples: tuple[Example, ...] = ()
    schema_version: int = SCHEMA_VERSION
    #: The tool's prices as Wiro's catalogue listed them (None: the source states none).
    pricing: Pricing | None = None

    @property
    def key(self) -> str:
        """`owner/slug`, the tool's identity."""
        return f"{self.tool.owner}/{self.tool.slug}"


# --- YAML -------------------------------------------------------------------------------------


def spec_to_dict(spec: Spec) -> dict[str, Any]:
    """Plain data in a reading order that makes a good review artefact."""
    tool = spec.tool
    return {
        "schema_version": spec.schema_version,
        "tool": {
            "owner": tool.owner,
            "slug": tool.slug,
            "name": tool.name,
            "family": tool.family,
            "description": tool.description,
            "cover": tool.cover,
            "categories": list(tool.categories),
            "tags": list(tool.tags),
            "output_kind": tool.output_kind,
        },
        "source": _source_to_dict(spec),
        "package": {
            "distribution": spec.package.distribution,
            "module": spec.package.module,
            "command": spec.package.command,
            "model_class": spec.package.model_class,
            "version": spec.package.version,
        },
        "endpoints": {
            "base_url": spec.endpoints.base_url,
            "run": spec.endpoints.run,
            "task_detail": spec.endpoints.task_detail,
            "task_cancel": spec.endpoints.task_cancel,
            "task_kill": spec.endpoints.task_kill,
        },
        "auth": {
            "modes": list(spec.auth.modes),
            "api_key_header": spec.auth.api_key_header,
            "nonce_header": spec.auth.nonce_header,
            "signature_header": spec.auth.signature_header,
        },
        "statuses": {
            "success": list(spec.statuses.success),
            "cancel": list(spec.statuses.cancel),
            "running": list(spec.statuses.running),
        },
        "inputs": [_input_to_dict(item) for item in spec.inputs],
        "examples": [dict(example.values) for example in spec.examples],
        **({"pricing": pricing_to_dict(spec.pricing)} if spec.pricing is not None else {}),
    }


def _day(r: Any, source_data: Mapping[str, Any]) -> str | None:
    """`source.fetched`, also when YAML read an unquoted date as a date."""
    import datetime

    value = source_data.get("fetched")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text: str | None = r.optional_text(source_data, "fetched", "source")
    return text


def _source_to_dict(spec: Spec) -> dict[str, Any]:
    data: dict[str, Any] = {
        "description_file": spec.source.description_file,
        "format": spec.source.format,
    }
    for key in ("url", "catalog", "fetched"):
        if value := getattr(spec.source, key):
            data[key] = value
    return data


def _input_to_dict(item: Input) -> dict[str, Any]:
    data: dict[str, Any] = {
        "wire_name": item.wire_name,
        "python_name": item.python_name,
        "cli_flag": item.cli_flag,
        "label": item.label,
        "help": item.help,
        "wiro_type": item.wiro_type,
        "python_type": item.python_type,
        "wire_type": item.wire_type,
        "default": item.default,
        "required": item.required,
    }
    if item.sample is not None:
        data["sample"] = item.sample
    if item.file_url:
        data["file_url"] = True
    for bound in ("minimum", "maximum", "step"):
        if getattr(item, bound) is not None:
            data[bound] = getattr(item, bound)
    if item.options:
        data["options"] = [_option_to_dict(option) for option in item.options]
    return data


def _option_to_dict(option: Option) -> dict[str, Any]:
    data: dict[str, Any] = {"value": option.value, "label": option.label}
    if option.description is not None:
        data["description"] = option.description
    if option.trigger_words:
        data["trigger_words"] = list(option.trigger_words)
    if option.generate_settings is not None:
        data["generate_settings"] = option.generate_settings
    return data


class _SpecDumper(yaml.SafeDumper):
    """Block style, multi-line strings as literal blocks; keeps diffs readable."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value and all(ch.isprintable() or ch == "\n" for ch in value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_SpecDumper.add_representer(str, _represent_str)


def dump_spec(spec: Spec) -> str:
    """The spec as YAML text, byte-for-byte the same for the same spec."""
    text = yaml.dump(
        spec_to_dict(spec),
        Dumper=_SpecDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return f"# Spec of the Wiro tool {spec.key}; generated packages are rendered from it.\n{text}"


def load_spec(path: Path) -> Spec:
    """Read and validate a spec file; every problem names the file and the key."""
    return parse_spec_text(read_text(path, "spec"), str(path))


def parse_spec_text(text: str, filename: str) -> Spec:
    """Validate YAML text as a spec."""
    hint = "fix the YAML syntax, or re-create the spec with `wiro-codegen add`"
    return spec_from_dict(parse_yaml(text, filename, "spec", hint), filename)


class _Reader:
    """Typed access to nested YAML data with errors that name the key path."""

    def __init__(self, filename: str) -> None:
        self.filename = filename

    def fail(self, where: str, message: str) -> GeneratorError:
        return GeneratorError(
            f"{where}: {message}",
            location=Location(file=self.filename),
            hint="correct the spec by hand or re-create it with `wiro-codegen add`",
        )

    def mapping(self, value: object, where: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(where, "expected a mapping")
        return value

    def get(self, data: Mapping[str, Any], key: str, where: str) -> Any:
        if key not in data:
            raise self.fail(f"{where}.{key}" if where else key, "missing")
        return data[key]

    def text(self, data: Mapping[str, Any], key: str, where: str) -> str:
        value = self.get(data, key, where)
        if not isinstance(value, str):
            raise self.fail(f"{where}.{key}", f"expected a string, got {type(value).__name__}")
        return value

    def optional_text(self, data: Mapping[str, Any], key: str, where: str) -> str | None:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise self.fail(f"{where}.{key}", f"expected a string, got {type(value).__name__}")
        return value

    def texts(self, data: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(f"{where}.{key}", "expected a list of strings")
        return tuple(value)

    def identifier(self, data: Mapping[str, Any], key: str, where: str) -> str:
        value = self.text(data, key, where)
        if not value.isidentifier() or keyword.iskeyword(value) or not value.isascii():
            raise self.fail(f"{where}.{key}", f"{value!r} is not a usable Python identifier")
        return value

    def choice(
        self, data: Mapping[str, Any], key: str, where: str, allowed: tuple[str, ...]
    ) -> str:
        value = self.text(data, key, where)
        if value not in allowed:
            raise self.fail(f"{where}.{key}", f"{value!r} is not one of {', '.join(allowed)}")
        return value


def spec_from_dict(data: object, filename: str) -> Spec:
    """Build a Spec from loaded YAML, validating every field."""
    r = _Reader(filename)
    root = r.mapping(data, "spec")
    version = r.get(root, "schema_version", "")
    if version != SCHEMA_VERSION:
        raise r.fail(
            "schema_version",
            f"this generator reads version {SCHEMA_VERSION}, the spec has {version!r}",
        )
    tool_data = r.mapping(r.get(root, "tool", ""), "tool")
    inputs = _list(r, root, "inputs", required=True)
    inputs_read = tuple(_input_from_dict(r, item, index) for index, item in enumerate(inputs))
    _check_unique(r, inputs_read)
    examples = _list(r, root, "examples", required=False)
    return Spec(
        tool=_tool_from_dict(r, tool_data, inputs_read),
        package=_package_from_dict(r, r.mapping(r.get(root, "package", ""), "package")),
        endpoints=_endpoints_from_dict(r, r.mapping(r.get(root, "endpoints", ""), "endpoints")),
        statuses=Statuses(
            **{
                name: r.texts(r.mapping(r.get(root, "statuses", ""), "statuses"), name, "statuses")
                for name in STATUS_GROUPS
            }
        ),
        auth=_auth_from_dict(r, r.mapping(r.get(root, "auth", ""), "auth")),
        source=_source_from_dict(r, r.mapping(r.get(root, "source", ""), "source")),
        inputs=inputs_read,
        examples=tuple(_example_from_dict(r, item, index) for index, item in enumerate(examples)),
        schema_version=SCHEMA_VERSION,
        pricing=pricing_from_dict(r, root["pricing"]) if "pricing" in root else None,
    )


def _list(r: _Reader, root: Mapping[str, Any], key: str, *, required: bool) -> list[Any]:
    value = r.get(root, key, "") if required else root.get(key, [])
    if not isinstance(value, list):
        raise r.fail(key, "expected a list")
    return value


def _tool_from_dict(r: _Reader, data: Mapping[str, Any], inputs: tuple[Input, ...]) -> Tool:
    for kind in ("owner", "slug"):
        if problem := naming.path_segment_problem(kind, r.text(data, kind, "tool")):
            raise r.fail(f"tool.{kind}", problem)
    tool = Tool(
        owner=r.text(data, "owner", "tool"),
        slug=r.text(data, "slug", "tool"),
        name=r.text(data, "name", "tool"),
        family=r.choice(data, "family", "tool", ("Tool", "Model")),
        description=r.text(data, "description", "tool"),
        cover=r.optional_text(data, "cover", "tool"),
        categories=r.texts(data, "categories", "tool"),
        tags=r.texts(data, "tags", "tool"),
    )
    if "output_kind" in data:
        kind = r.choice(data, "output_kind", "tool", OUTPUT_KINDS)
    else:  # a spec written before the field: what the generator infers, as it did then
        kind = infer_output_kind(tool.categories, tool.tags, (i.wire_name for i in inputs))
    return replace(tool, output_kind=kind)


def _package_from_dict(r: _Reader, data: Mapping[str, Any]) -> Package:
    distribution = r.text(data, "distribution", "package")
    command = r.text(data, "command", "package")
    for where, value in (("package.distribution", distribution), ("package.command", command)):
        if not value or not all(ch.isascii() and (ch.isalnum() or ch in "-_.") for ch in value):
            raise r.fail(where, f"{value!r} may hold only ASCII letters, digits, '-', '_' and '.'")
    return Package(
        distribution=distribution,
        module=r.identifier(data, "module", "package"),
        command=command,
        model_class=r.identifier(data, "model_class", "package"),
        version=_version(r, data),
    )


def _endpoints_from_dict(r: _Reader, data: Mapping[str, Any]) -> Endpoints:
    base_url = r.text(data, "base_url", "endpoints")
    if not BASE_URL_PATTERN.fullmatch(base_url):
        raise r.fail(
            "endpoints.base_url",
            f"{base_url!r} must be an http(s) URL of letters, digits and -._~/: only",
        )
    return Endpoints(
        base_url=base_url,
        **{
            name: r.text(data, name, "endpoints")
            for name in ("run", "task_detail", "task_cancel", "task_kill")
        },
    )


def _auth_from_dict(r: _Reader, data: Mapping[str, Any]) -> Auth:
    return Auth(
        **{
            name: r.text(data, name, "auth")
            for name in ("api_key_header", "nonce_header", "signature_header")
        },
        modes=r.texts(data, "modes", "auth"),
    )


def _source_from_dict(r: _Reader, data: Mapping[str, Any]) -> Source:
    return Source(
        description_file=r.text(data, "description_file", "source"),
        format=(
            r.choice(data, "format", "source", SOURCE_FORMATS) if "format" in data else "markdown"
        ),
        url=r.optional_text(data, "url", "source"),
        catalog=r.optional_text(data, "catalog", "source"),
        fetched=_day(r, data),
    )


_VERSION = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+")


def _version(r: _Reader, data: Mapping[str, Any]) -> str:
    version = data.get("version", "0.1.0")
    if not isinstance(version, str) or not _VERSION.fullmatch(version):
        raise r.fail("package.version", f"{version!r} is not a MAJOR.MINOR.PATCH version")
    return version


def _example_from_dict(r: _Reader, value: object, index: int) -> Example:
    data = r.mapping(value, f"examples[{index}]")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise r.fail(f"examples[{index}]", "expected a mapping of input names to text")
    return Example(tuple(data.items()))


def _input_from_dict(r: _Reader, value: object, index: int) -> Input:
    where = f"inputs[{index}]"
    data = r.mapping(value, where)
    default = data.get("default")
    if default is not None and not isinstance(default, str | int | float | bool):
        raise r.fail(f"{where}.default", "expected a string, number, boolean or null")
    if isinstance(default, float) and not math.isfinite(default):
        raise r.fail(f"{where}.default", "must be a finite number")
    required = data.get("required", False)
    if not isinstance(required, bool):
        raise r.fail(f"{where}.required", "expected true or false")
    options_data = data.get("options", [])
    if not isinstance(options_data, list):
        raise r.fail(f"{where}.options", "expected a list")
    options = tuple(
        _option_from_dict(r, option, f"{where}.options[{position}]")
        for position, option in enumerate(options_data)
    )
    cli_flag = r.text(data, "cli_flag", where)
    if not cli_flag.startswith("--") or not all(
        ch.isascii() and (ch.isalnum() or ch == "-") for ch in cli_flag[2:]
    ):
        raise r.fail(f"{where}.cli_flag", f"{cli_flag!r} must look like --lower-case-words")
    python_type = r.choice(data, "python_type", where, PYTHON_TYPES)
    if python_type == "literal" and not options:
        raise r.fail(f"{where}.python_type", "'literal' needs at least one option")
    return Input(
        wire_name=r.text(data, "wire_name", where),
        python_name=r.identifier(data, "python_name", where),
        cli_flag=cli_flag,
        label=r.text(data, "label", where),
        help=r.text(data, "help", where),
        wiro_type=r.text(data, "wiro_type", where),
        python_type=python_type,
        wire_type=r.choice(data, "wire_type", where, WIRE_TYPES),
        default=default,
        required=required,
        options=options,
        sample=r.optional_text(data, "sample", where),
        minimum=_bound(r, data, "minimum", where),
        maximum=_bound(r, data, "maximum", where),
        step=_bound(r, data, "step", where),
        file_url=_flag(r, data, "file_url", where),
    )


def _flag(r: _Reader, data: Mapping[str, Any], key: str, where: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise r.fail(f"{where}.{key}", f"expected true or false, got {value!r}")
    return value


def _bound(r: _Reader, data: Mapping[str, Any], key: str, where: str) -> int | float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise r.fail(f"{where}.{key}", "expected a finite number")
    return value


def _option_from_dict(r: _Reader, value: object, where: str) -> Option:
    data = r.mapping(value, where)
    return Option(
        value=r.text(data, "value", where),
        label=r.text(data, "label", where),
        description=r.optional_text(data, "description", where),
        trigger_words=r.texts(data, "trigger_words", where),
        generate_settings=r.optional_text(data, "generate_settings", where),
    )


def _check_unique(r: _Reader, inputs: tuple[Input, ...]) -> None:
    for attribute in ("wire_name", "python_name", "cli_flag"):
        seen: set[str] = set()
        for item in inputs:
            value = getattr(item, attribute)
            if value in seen:
                raise r.fail(f"inputs.{attribute}", f"{value!r} appears twice")
            seen.add(value)
