"""What `samverkan setup` loads, in order. Each app registers its reference and demo data here
from its ``AppConfig.ready`` (``register_setup_step``), by dotted path, so that ``core``
imports no domain app and a web process imports no demo module.

Every step is idempotent: running setup twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class SetupStep:
    label: str
    path: str  # dotted path of a function without arguments
    demo: bool  # demo data (left out by ``setup --no-demo``)
    position: int

    def load(self) -> Callable[[], Any]:
        return import_string(self.path)


_STEPS: dict[str, SetupStep] = {}


def register_setup_step(label: str, path: str, *, demo: bool, position: int) -> None:
    """Register a step (again with the same path: replaced, so a reload is harmless)."""
    _STEPS[path] = SetupStep(label, path, demo, position)


def setup_steps() -> list[SetupStep]:
    """The registered steps in order: reference data first, then demo data, by position."""
    return sorted(_STEPS.values(), key=lambda s: (s.position, s.label))


def setup_run(*, demo: bool = True) -> list[tuple[str, Any]]:
    """Run every step (the reference data only with ``demo=False``): (label, result) each."""
    return [(step.label, step.load()()) for step in setup_steps() if demo or not step.demo]
