"""The demo-data mechanism: `shuangchuang demo` calls load(context) of every module that has a demo module.

A module adds its demo data by defining `<module>/demo.py` with `ORDER` (int) and `load(context)`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.apps import apps

from shuangchuang.core.actor import Actor

DEMO_PASSWORD = "Demo-2026-sc!"


@dataclass
class DemoContext:
    seed: int
    enterprises: int
    stdout: TextIO
    actor: Actor = field(default_factory=lambda: Actor.system("demo"))
    accounts: list[dict[str, Any]] = field(default_factory=list)

    def log(self, message: str) -> None:
        self.stdout.write(message + "\n")
        self.stdout.flush()


def demo_modules() -> list:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("shuangchuang."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        if hasattr(module, "load") and module.__name__ != __name__:
            found.append(module)
    return sorted(found, key=lambda m: getattr(m, "ORDER", 100))
