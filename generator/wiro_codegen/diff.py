"""What changed between two versions of a spec, and whether the generated API breaks."""

from __future__ import annotations

from dataclasses import dataclass, replace

from wiro_codegen.spec import Input, Spec
from wiro_codegen.spec_prices import change_in_words, same_prices
from wiro_codegen.typemap import infer_output_kind

#: Type changes that accept everything the old type accepted.
_WIDENINGS = {("literal", "str"), ("int", "float"), ("file", "files")}


@dataclass(frozen=True)
class Change:
    """One change, in words, with whether code written against the old API may break."""

    input_name: str | None
    description: str
    breaking: bool
    #: A change of the tool's prices: not of its API, but what users pay.
    price: bool = False

    def __str__(self) -> str:
        where = f"{self.input_name}: " if self.input_name else ""
        kind = "price" if self.price else "BREAKING" if self.breaking else "compatible"
        return f"[{kind}] {where}{self.description}"


@dataclass(frozen=True)
class SpecDiff:
    """Every change from one spec to the next."""

    key: str
    changes: tuple[Change, ...]

    @property
    def breaking(self) -> bool:
        return any(change.breaking for change in self.changes)

    @property
    def api_changed(self) -> bool:
        return any(not change.price for change in self.changes)

    @property
    def only_prices(self) -> bool:
        """Only the tool's prices changed (`update --check --ignore-prices` lets it pass)."""
        return bool(self.changes) and all(change.price for change in self.changes)


def _input_changes(old: Input, new: Input) -> list[Change]:
    """What changed in one input, each change marked breaking or compatible."""
    return [
        *_type_changes(old, new),
        *_value_changes(old, new),
        *_bound_changes(old, new),
    ]


def _type_changes(old: Input, new: Input) -> list[Change]:
    """Its type (a widening is compatible), or for a select, its options."""
    name = new.python_name
    if old.python_type != new.python_type:
        widening = (old.python_type, new.python_type) in _WIDENINGS
        said = f"type {old.python_type} -> {new.python_type}"
        return [Change(name, said, breaking=not widening)]
    if old.python_type not in ("literal", "list[str]") or not old.closed_choices:
        return []
    removed = [value for value in old.choices if value not in new.choices]
    added = [value for value in new.choices if value not in old.choices]
    changes = []
    if removed:
        changes.append(Change(name, f"options removed: {', '.join(removed)}", breaking=True))
    if added:
        changes.append(Change(name, f"options added: {', '.join(added)}", breaking=False))
    return changes


def _value_changes(old: Input, new: Input) -> list[Change]:
    """Its default, whether it takes files, whether it is required."""
    name = new.python_name
    changes = []
    if old.default != new.default:
        changes.append(Change(name, f"default {old.default!r} -> {new.default!r}", breaking=False))
    if old.file_url != new.file_url:
        said = "now takes local files (uploaded)" if new.file_url else "no longer takes files"
        changes.append(Change(name, said, breaking=not new.file_url))
    if old.required != new.required:
        said = "now required" if new.required else "now optional"
        changes.append(Change(name, said, new.required))
    return changes


def _bound_changes(old: Input, new: Input) -> list[Change]:
    """Bounds that narrowed, and a Python name that changed: both break callers."""
    name = new.python_name
    changes = []
    if new.minimum is not None and (old.minimum is None or new.minimum > old.minimum):
        changes.append(Change(name, f"minimum {old.minimum} -> {new.minimum}", breaking=True))
    if new.maximum is not None and (old.maximum is None or new.maximum < old.maximum):
        changes.append(Change(name, f"maximum {old.maximum} -> {new.maximum}", breaking=True))
    if old.python_name != new.python_name:
        changes.append(Change(old.python_name, f"Python name -> {new.python_name}", breaking=True))
    return changes


def diff_specs(old: Spec, new: Spec) -> SpecDiff:
    """Inputs added or removed, type, default, option and requirement changes."""
    changes: list[Change] = []
    before = {item.wire_name: item for item in old.inputs}
    after = {item.wire_name: item for item in new.inputs}
    for wire_name, item in before.items():
        if wire_name not in after:
            changes.append(Change(item.python_name, "input removed", breaking=True))
    for wire_name, item in after.items():
        if wire_name not in before:
            breaking = item.required and item.default is None
            changes.append(
                Change(
                    item.python_name, "input added" + (" (required)" if breaking else ""), breaking
                )
            )
        else:
            changes.extend(_input_changes(before[wire_name], item))
    if old.endpoints.run != new.endpoints.run or old.key.lower() != new.key.lower():
        # the package would send its tasks to another tool (and bill for it)
        moved = f"{old.endpoints.run} -> {new.endpoints.run}"
        changes.append(Change(None, f"Run endpoint {moved}: another tool", breaking=True))
    elif old.endpoints != new.endpoints:
        changes.append(Change(None, "endpoints changed", breaking=False))
    if old.tool.output_kind != new.tool.output_kind:
        # what `run` prints and whether `task.text` is set follow it
        kinds = f"{old.tool.output_kind} -> {new.tool.output_kind}"
        changes.append(Change(None, f"output kind {kinds}", breaking=False))
    if not same_prices(old.pricing, new.pricing):
        said = change_in_words(old.pricing, new.pricing)
        changes.append(Change(None, said, breaking=False, price=True))
    return SpecDiff(new.key, tuple(changes))


def bump(version: str, diff: SpecDiff) -> str:
    """Major on a breaking change, minor on any other API change, patch otherwise."""
    major, minor, patch = (int(part) for part in version.split("."))
    if diff.breaking:
        return f"{major + 1}.0.0"
    if diff.api_changed:
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def keep_names(old: Spec, new: Spec) -> Spec:
    """The new spec with the old package names and, for inputs that stay, the old Python names
    and flags: an update never renames what users already call."""
    from wiro_codegen import naming

    before = {item.wire_name: item for item in old.inputs}
    taken_names = {item.python_name for item in old.inputs}
    taken_flags = {item.cli_flag for item in old.inputs}
    inputs = []
    for item in new.inputs:
        previous = before.get(item.wire_name)
        if previous is not None:
            inputs.append(
                replace(item, python_name=previous.python_name, cli_flag=previous.cli_flag)
            )
            continue
        name, flag, counter = item.python_name, item.cli_flag, 2
        while name in taken_names or name in naming.reserved_parameters():
            name, counter = f"{item.python_name}_{counter}", counter + 1
        while flag in taken_flags or flag in naming.reserved_flags():
            flag, counter = f"{item.cli_flag}-{counter}", counter + 1
        taken_names.add(name)
        taken_flags.add(flag)
        inputs.append(replace(item, python_name=name, cli_flag=flag))
    tool = new.tool
    inferred = infer_output_kind(
        old.tool.categories, old.tool.tags, (i.wire_name for i in old.inputs)
    )
    if old.tool.output_kind != inferred:  # set by hand in the spec: it stays
        tool = replace(tool, output_kind=old.tool.output_kind)
    return replace(new, tool=tool, package=old.package, inputs=tuple(inputs))


def with_version(spec: Spec, version: str) -> Spec:
    return replace(spec, package=replace(spec.package, version=version))
