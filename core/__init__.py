"""wismo's domain, one package per part of the shop; no chat SDK is imported here.

Each part's `__init__` names what it exports and loads the module behind a name only when
the name is first used (`lazy_exports`), so importing one small module of a part — or a
constant for a command's `--help` — does not import the whole part.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    package: str, exports: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A part's `__getattr__` and `__dir__`: `exports` maps each public name to the module
    that defines it (or, for a module exported as a namespace, to that module itself)."""

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        loaded = importlib.import_module(module)
        value = loaded if module == f"{package}.{name}" else getattr(loaded, name)
        setattr(sys.modules[package], name, value)  # later look-ups skip this function
        return value

    def __dir__() -> list[str]:
        return sorted(exports)

    return __getattr__, __dir__
