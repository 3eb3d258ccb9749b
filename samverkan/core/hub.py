"""The front door's registries: the sections of an area's hub page (a county, a municipality)
and the to-do items of "Min översikt".

``core`` knows no domain app: each app registers its own section and to-do provider in its
``AppConfig.ready()`` (module ``<app>/hub.py``), reading through its own selectors so that
tenancy decides what the user sees. The pages ask the registries and render what comes back.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)

COUNTY, MUNICIPALITY = "county", "municipality"


@dataclass(frozen=True)
class Area:
    """The place a hub page is about: a county (``code`` "12") or a municipality ("1280")."""

    kind: str
    code: str
    name: str
    county_code: str

    @property
    def is_county(self) -> bool:
        return self.kind == COUNTY


@dataclass
class Figure:
    """A key figure at the top of the hub: "12 pågående projekt"."""

    value: int | str
    label: str
    href: str = ""


@dataclass
class HubSection:
    """One area of work on the hub: its key figures, a template with its most useful content,
    and the link to the full view."""

    key: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)
    more_label: str = ""
    more_href: str = ""
    empty: str = ""
    position: int = 0


@dataclass
class TodoItem:
    """Something waiting for the user: where it is done, what it is and by when."""

    title: str
    href: str
    kind: str
    organisation: str = ""
    detail: str = ""
    due: datetime.date | None = None
    late: bool = False


@dataclass
class TodoGroup:
    key: str
    title: str
    items: list[TodoItem]
    empty: str = ""
    position: int = 0


@dataclass
class FrontBlock:
    """A block of the public front page: what the platform holds in one area of work, with
    figures per county (``county_figures``: county code → number) for the county cards."""

    key: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    county_label: str = ""
    county_figures: dict[str, int] = field(default_factory=dict)


SectionFunc = Callable[[Area, Any], HubSection | None]
FrontFunc = Callable[[Any], FrontBlock | None]
_FRONT: dict[str, tuple[int, FrontFunc]] = {}
TodoFunc = Callable[[Any, datetime.date, datetime.datetime], TodoGroup | None]
_SECTIONS: dict[str, tuple[int, SectionFunc]] = {}
_TODOS: dict[str, tuple[int, TodoFunc]] = {}


def register_hub_section(key: str, *, position: int) -> Callable[[SectionFunc], SectionFunc]:
    def register(func: SectionFunc) -> SectionFunc:
        _SECTIONS[key] = (position, func)
        return func

    return register


def register_todo(key: str, *, position: int) -> Callable[[TodoFunc], TodoFunc]:
    def register(func: TodoFunc) -> TodoFunc:
        _TODOS[key] = (position, func)
        return func

    return register


def hub_sections(*, area: Area, user: Any) -> list[HubSection]:
    """Every registered section for the area, in position order; a section with nothing to
    show for the area returns None and is left out."""
    sections = []
    for key, (position, func) in sorted(_SECTIONS.items(), key=lambda item: item[1][0]):
        section = func(area, user)
        if section is not None:
            section.key, section.position = key, position
            sections.append(section)
    return sections


def todo_groups(*, user: Any, today: datetime.date, since: datetime.datetime) -> list[TodoGroup]:
    """What waits for the user (``today`` decides what is due or late) and what changed in
    their counties since ``since`` (their previous visit)."""
    groups = []
    for key, (position, func) in sorted(_TODOS.items(), key=lambda item: item[1][0]):
        group = func(user, today, since)
        if group is not None:
            group.key, group.position = key, position
            groups.append(group)
    return groups


def register_front_block(key: str, *, position: int) -> Callable[[FrontFunc], FrontFunc]:
    def register(func: FrontFunc) -> FrontFunc:
        _FRONT[key] = (position, func)
        return func

    return register


def front_blocks(*, user: Any) -> list[FrontBlock]:
    blocks = []
    for key, (_position, func) in sorted(_FRONT.items(), key=lambda item: item[1][0]):
        block = func(user)
        if block is not None:
            block.key = key
            blocks.append(block)
    return blocks


# The areas the front page lists (the counties, with their municipality counts): given by the
# geography app from its AppConfig, so that this framework layer imports no app.
_FRONT_AREAS: list[Callable[[], Any]] = []


def register_front_areas(func: Callable[[], Any]) -> Callable[[], Any]:
    _FRONT_AREAS[:] = [func]
    return func


def front_areas() -> Any:
    """The areas the front page lists; empty until an app has registered them."""
    return _FRONT_AREAS[0]() if _FRONT_AREAS else []
