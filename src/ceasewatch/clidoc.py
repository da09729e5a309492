"""The CLI reference (docs/cli.md), generated from the commands themselves.

``python -m ceasewatch.clidoc > docs/cli.md``; ``tests/test_docs.py`` fails when the file
falls behind the code.
"""

from __future__ import annotations

import re
from typing import Any

import typer

from ceasewatch.cli import app


def _walk(cmd: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    out = [(path, cmd)]
    if hasattr(cmd, "commands"):
        for name in sorted(cmd.commands):
            out.extend(_walk(cmd.commands[name], [*path, name]))
    return out


def render() -> str:
    root = typer.main.get_command(app)
    lines = [
        "# Command reference",
        "",
        "Generated from the commands by `python -m ceasewatch.clidoc`; do not edit by hand.",
        "",
    ]
    for path, cmd in _walk(root, ["ceasewatch"]):
        if hasattr(cmd, "commands") and len(path) > 1:
            lines += [f"## `{' '.join(path)}`", "", (cmd.help or "").strip(), ""]
            continue
        ctx = cmd.make_context(path[-1], [], resilient_parsing=True)
        usage = re.sub(
            r"\{(\w+)\}", lambda m: m.group(1).upper(), " ".join(cmd.collect_usage_pieces(ctx))
        )
        lines += [
            f"## `{' '.join(path)}`",
            "",
            "```",
            f"{' '.join(path)} {usage}".rstrip(),
            "```",
            "",
        ]
        if cmd.help:
            lines += [cmd.help.strip().replace("\b\n", ""), ""]
        rows = []
        for p in cmd.params:
            if p.name == "help":
                continue
            is_option = p.param_type_name == "option"
            names = ", ".join(f"`{o}`" for o in (p.opts if is_option else [(p.name or "").upper()]))
            help_text = getattr(p, "help", None) or ""
            default = ""
            if is_option and p.default not in (None, False) and p.show_default is not False:
                default = (
                    f" (default: `{p.default.value if hasattr(p.default, 'value') else p.default}`)"
                )
            rows.append(f"| {names} | {help_text}{default} |")
        if rows:
            lines += ["| option | meaning |", "|---|---|", *rows, ""]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")
