"""The main menu. Each app registers its own entries from its ``AppConfig.ready``
(``register_menu_entry``), so that ``core`` names no domain app; an app that is not installed
registers nothing and so has no entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MenuEntry:
    url_name: str
    label: Any  # a lazy translation
    position: int


_ENTRIES: dict[str, MenuEntry] = {}


def register_menu_entry(url_name: str, label: Any, *, position: int) -> None:
    """Register an entry (again with the same URL name: replaced, so a reload is harmless)."""
    _ENTRIES[url_name] = MenuEntry(url_name, label, position)


def menu_entries() -> list[MenuEntry]:
    """The registered entries in menu order (by position)."""
    return sorted(_ENTRIES.values(), key=lambda e: (e.position, e.url_name))
