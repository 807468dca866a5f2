"""How `wismo` talks about itself: help names `ORDER_NUMBER` rather than Typer's
`{order_number}` and shows no `<bool>` after a flag (a flag takes no value); a usage error
is one plain line, never wrapped in a box at 80 columns, unless a person is watching."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from typer import _click
from typer._coercion import PassThroughRuntimeParam
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption
from typer.exceptions import Abort


def _plain_names(params: list[Any]) -> list[Any]:
    for param in params:
        if isinstance(param, TyperOption) and param.is_flag:
            _light_flag(param)
        if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
            param.metavar = ""  # shown instead of the value's type, which a flag has none of
        elif isinstance(param, TyperArgument) and param.metavar is None and param.name:
            param.metavar = param.name.upper()
    return params


def _light_flag(option: TyperOption) -> None:
    """A flag's value is True, False or absent: check it without a pydantic TypeAdapter.

    Typer builds one per parameter it coerces, and the group's `--help` flag is coerced
    (absent: None) on every sub-command, which alone costs `wismo db --help` ~90 ms of
    importing pydantic. A pass-through check treats None and bools exactly as the adapter does.
    """
    if option.type_descriptor.annotation is bool and getattr(option, "_runtime_param", 0) is None:
        option._runtime_param = PassThroughRuntimeParam(
            annotation=bool, parameter_info=option.type_descriptor.parameter_info
        )


class PlainCommand(TyperCommand):
    """A command whose help and usage line name arguments as the README does."""

    def get_params(self, ctx: _click.Context) -> list[Any]:
        return _plain_names(super().get_params(ctx))

    def collect_usage_pieces(self, ctx: _click.Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                name = param.metavar or (param.name or "").upper()
                name = name if param.required else f"[{name}]"
                pieces.append(name if param.nargs == 1 else f"{name}...")
        return pieces


class PlainGroup(TyperGroup):
    """A command group whose flags show no `<bool>` and whose usage errors stay plain text
    when its output goes to a file or a pipe."""

    def get_params(self, ctx: _click.Context) -> list[Any]:
        return _plain_names(super().get_params(ctx))

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        named: dict[str, Any] = {
            "args": args,
            "prog_name": prog_name,
            "complete_var": complete_var,
            "windows_expand_args": windows_expand_args,
            **extra,
        }
        if not standalone_mode or (sys.stdout.isatty() and sys.stderr.isatty()):
            return super().main(standalone_mode=standalone_mode, **named)
        try:
            outcome = super().main(standalone_mode=False, **named)
        except _click.exceptions.ClickException as error:
            error.show()  # "Error: …" on one line, whatever its length: logs keep it whole
            _exit(error.exit_code)
        except Abort:
            _click.echo("Aborted!", err=True)
            _exit(1)
        _exit(outcome if isinstance(outcome, int) else 0)


def _exit(code: int) -> NoReturn:
    sys.exit(code)
