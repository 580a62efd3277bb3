"""Shell completion scripts for a generated CLI, read off its own parser (so they never lag).

`<cli> completion bash|zsh|fish` prints one; built only when asked, so `--help` stays fast.
Option values are offered for closed choices whose values are plain words; every word in a
script is a flag the parser made or such a value, and each is quoted for the shell anyway.
"""

from __future__ import annotations

import argparse
import re
import shlex

from .._protocol.tool import ToolDefinition

SHELLS = ("bash", "zsh", "fish")
_PLAIN = re.compile(r"[A-Za-z0-9._:/@+-]+")


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _options(parser: argparse.ArgumentParser) -> list[tuple[str, list[str]]]:
    """(--flag, plain choice values) for each long option of a command."""
    found = []
    for action in parser._actions:
        flags = [flag for flag in action.option_strings if flag.startswith("--")]
        if not flags:
            continue
        values = [str(choice) for choice in action.choices or ()]
        type_values = getattr(action.type, "completion_values", ())
        values = [value for value in [*values, *type_values] if _PLAIN.fullmatch(value)]
        found += [(flag, values) for flag in flags]
    return found


def _positional_choices(parser: argparse.ArgumentParser) -> list[str]:
    """The fixed values of a command's positional arguments (`completion bash|zsh|fish`)."""
    return [
        str(choice)
        for action in parser._actions
        if not action.option_strings and not isinstance(action, argparse._SubParsersAction)
        for choice in action.choices or ()
        if _PLAIN.fullmatch(str(choice))
    ]


def _function_name(command: str) -> str:
    return "_" + re.sub(r"[^A-Za-z0-9_]", "_", command) + "_complete"


def bash_script(tool: ToolDefinition, parser: argparse.ArgumentParser) -> str:
    commands = _commands(parser)
    name = _function_name(tool.command)
    cases, values = [], {}
    for command, sub in commands.items():
        options = _options(sub)
        words = " ".join([*_positional_choices(sub), *(flag for flag, _ in options)])
        cases.append(f"        {shlex.quote(command)}) words={shlex.quote(words)} ;;")
        for flag, choices in options:
            if choices:
                values[flag] = (
                    f"        {shlex.quote(flag)}) words={shlex.quote(' '.join(choices))} ;;"
                )
    top = " ".join([*commands, "--help", "--version"])
    return "\n".join(
        [
            f'# bash completion for {tool.command}: eval "$({tool.command} completion bash)"',
            f"{name}() {{",
            '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" words',
            '    if [ "$COMP_CWORD" -eq 1 ]; then',
            f'        COMPREPLY=($(compgen -W {shlex.quote(top)} -- "$cur"))',
            "        return",
            "    fi",
            '    case "$prev" in',
            *values.values(),
            "        *) words= ;;",
            "    esac",
            '    if [ -z "$words" ]; then',
            '        case "${COMP_WORDS[1]}" in',
            *cases,
            "        esac",
            "    fi",
            '    COMPREPLY=($(compgen -W "$words" -- "$cur"))',
            "}",
            f"complete -o default -F {name} {shlex.quote(tool.command)}",
            "",
        ]
    )


def zsh_script(tool: ToolDefinition, parser: argparse.ArgumentParser) -> str:
    """zsh runs the bash script through its bashcompinit layer."""
    return (
        f'# zsh completion for {tool.command}: eval "$({tool.command} completion zsh)"\n'
        "autoload -U +X bashcompinit && bashcompinit\n" + bash_script(tool, parser)
    )


def fish_script(tool: ToolDefinition, parser: argparse.ArgumentParser) -> str:
    command = shlex.quote(tool.command)
    commands = _commands(parser)
    lines = [f"# fish completion for {tool.command}: {tool.command} completion fish | source"]
    names = " ".join(commands)
    lines.append(f"complete -c {command} -f -n '__fish_use_subcommand' -a {shlex.quote(names)}")
    for sub_name, sub in commands.items():
        condition = shlex.quote(f"__fish_seen_subcommand_from {sub_name}")
        if positional := _positional_choices(sub):
            lines.append(
                f"complete -c {command} -f -n {condition} -a {shlex.quote(' '.join(positional))}"
            )
        for flag, choices in _options(sub):
            line = f"complete -c {command} -n {condition} -l {shlex.quote(flag[2:])}"
            if choices:
                line += f" -x -a {shlex.quote(' '.join(choices))}"
            lines.append(line)
    return "\n".join(lines) + "\n"


def completion_script(tool: ToolDefinition, shell: str) -> str:
    from .parser import build_parser

    parser = build_parser(tool)
    return {"bash": bash_script, "zsh": zsh_script, "fish": fish_script}[shell](tool, parser)
