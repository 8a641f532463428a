"""What the Olive Vehicle Insurance demo holds, read from `resources/demo/demo-content.yaml`.

The content is data (the YAML file says what it is and why it reads as it does); this module gives it types and
reads it once, on the first demo, so that starting the application does not pay for it. A malformed file is a
broken install, reported with the file, line and field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple, TypeVar

from app.domain.located import Problem, not_flag, not_list, not_mapping, not_text, not_whole_number, where
from app.storage.resources import resources_dir
from app.storage.yaml_source import load_yaml

CONTENT_FILE = "demo-content.yaml"


class Doc(NamedTuple):
    """An organization-wide document and the practices (codes) it is evidence for."""

    title: str
    kind: str
    description: str
    practices: tuple[str, ...]


class Said(NamedTuple):
    """A statement heard in interviews and the goals whose practices it supports."""

    text: str
    goals: tuple[str, ...]


class Cell(NamedTuple):
    """A scripted characterization; `units` empty means every unit that implements the process area."""

    practice: str
    value: str
    units: tuple[str, ...] = ()
    weakness: str = ""
    strength: str = ""
    note: str = ""


class Judgment(NamedTuple):
    """The team's organizational-unit value where instantiations include PI or NI."""

    practice: str
    value: str
    rationale: str


class Override(NamedTuple):
    goal: str
    rating: str
    rationale: str


class PaStory(NamedTuple):
    model: str
    documents: tuple[Doc, ...]
    unit_record: str
    """Title of the records each unit showed for this process area; {unit} is replaced by the unit's name."""
    said: tuple[Said, ...]
    cells: tuple[Cell, ...] = ()
    judgments: tuple[Judgment, ...] = ()
    overrides: tuple[Override, ...] = ()
    weaknesses: tuple[str, ...] = ()
    """Minor weaknesses the team noted here and there (LI)."""
    strengths: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    examined_in: tuple[str, ...] | None = None
    """Still being examined: only these units are done; the others have first evidence for the first goal."""
    day: int = 1
    """On-site day (0-3) the mini-team characterized it."""


class SessionPlan(NamedTuple):
    code: str
    kind: str
    day: int
    hour: int
    unit: str | None
    roles: str
    participants: tuple[tuple[str, str], ...]
    """(name, role): kept in the participant table only."""
    notes: str
    covers: tuple[str, ...]
    """Process areas whose statements this session gives: "*" = every PA the session's unit implements."""
    generic: bool = False
    """The session also gives the statements on generic practices."""
    units: tuple[str, ...] = ()
    """For a session with no unit: the units its statements are about."""


class FindingPlan(NamedTuple):
    pa: str | None
    target: str | None
    """A goal or practice code (short form for CERT-RMM), or None for the whole process area."""
    kind: str
    status: str
    text: str


@dataclass(frozen=True, slots=True)
class DemoContent:
    security_office: str
    security_mini_team: tuple[str, ...]
    delivery_mini_team: tuple[str, ...]
    deliberate_attribution: str
    """The one participant name the demo leaves in a preliminary finding, so the Findings page shows the flag."""
    stories: dict[str, PaStory]
    generic_documents: tuple[Doc, ...]
    """Organization-wide documents for the generic practices, linked in every process area and unit."""
    generic_said: tuple[Said, ...]
    """What people said about the generic practices, linked in every process area of the session's unit."""
    generic_weaknesses: dict[str, str]
    sessions: tuple[SessionPlan, ...]
    review_flags: tuple[tuple[str, str, str, str], ...]
    """Review flags a team member left for the lead: (PA, practice, unit, comment)."""
    findings: tuple[FindingPlan, ...]
    referenced: tuple[tuple[str, str, str, tuple[str, ...]], ...]
    """Documents kept where they live rather than stored in the file: (title, location, PA, practices)."""
    earlier_versions: dict[str, tuple[str, str, str]]
    """Documents shown in two versions: title -> (current version label, older label, older text)."""


class DemoContentError(ValueError):
    """The shipped demo content cannot be read: the installation is damaged."""


@cache
def demo_content() -> DemoContent:
    path = resources_dir() / "demo" / CONTENT_FILE
    return read_demo_content(path.read_text(encoding="utf-8"), source=path.name)


_T = TypeVar("_T")
# The same rules, and so the same messages, as every other file the application reads.
_RULES: dict[type, Callable[[object], str | None]] = {str: not_text, bool: not_flag, list: not_list, dict: not_mapping}


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, data: Any, key: str, problem: str) -> DemoContentError:
        line, _cell = where(data, key)
        return DemoContentError(str(Problem(self.source, "", f"'{key}' {problem}", line)))

    def get(self, data: Any, key: str, kind: type[_T], default: Any = ...) -> _T:
        if not isinstance(data, dict):
            raise self.fail(data, key, "belongs in a mapping")
        if key not in data:
            if default is ...:
                raise self.fail(data, key, "is missing")
            return default  # type: ignore[no-any-return]
        value = data[key]
        wrong = _RULES[kind](value) if kind in _RULES else None
        if wrong:
            raise self.fail(data, key, wrong)
        return value  # type: ignore[no-any-return]

    def number(self, data: Any, key: str, lo: int, hi: int, default: Any = ...) -> int:
        value = self.get(data, key, object, default)
        wrong = not_whole_number(value, lo, hi)
        if wrong or not isinstance(value, int):
            raise self.fail(data, key, wrong or "")
        return value

    def text(self, data: Any, key: str, default: Any = ...) -> str:
        return self.get(data, key, str, default)

    def optional_text(self, data: Any, key: str) -> str | None:
        """A text that may be left out or written `null`."""
        return None if self.get(data, key, object, None) is None else self.text(data, key)

    def texts(self, data: Any, key: str, default: Any = ...) -> tuple[str, ...]:
        items = self.get(data, key, list, default)
        if not all(isinstance(item, str) for item in items):
            raise self.fail(data, key, "should list texts only")
        return tuple(items)

    def optional_texts(self, data: Any, key: str) -> tuple[str, ...] | None:
        return None if self.get(data, key, object, None) is None else self.texts(data, key)

    def each(self, data: Any, key: str, read: Callable[[Any], _T], default: Any = ...) -> tuple[_T, ...]:
        return tuple(read(item) for item in self.get(data, key, list, [] if default is ... else default))

    def doc(self, data: Any) -> Doc:
        return Doc(
            self.text(data, "title"),
            self.text(data, "kind"),
            self.text(data, "description"),
            self.texts(data, "practices"),
        )

    def said(self, data: Any) -> Said:
        return Said(self.text(data, "text"), self.texts(data, "goals"))

    def cell(self, data: Any) -> Cell:
        return Cell(
            self.text(data, "practice"),
            self.text(data, "value"),
            self.texts(data, "units", []),
            self.text(data, "weakness", ""),
            self.text(data, "strength", ""),
            self.text(data, "note", ""),
        )

    def story(self, data: Any) -> PaStory:
        return PaStory(
            model=self.text(data, "model"),
            documents=self.each(data, "documents", self.doc),
            unit_record=self.text(data, "unit_record"),
            said=self.each(data, "said", self.said),
            cells=self.each(data, "cells", self.cell),
            judgments=self.each(
                data,
                "judgments",
                lambda j: Judgment(self.text(j, "practice"), self.text(j, "value"), self.text(j, "rationale")),
            ),
            overrides=self.each(
                data,
                "overrides",
                lambda o: Override(self.text(o, "goal"), self.text(o, "rating"), self.text(o, "rationale")),
            ),
            weaknesses=self.texts(data, "weaknesses", []),
            strengths=self.texts(data, "strengths", []),
            notes=self.texts(data, "notes", []),
            examined_in=self.optional_texts(data, "examined_in"),
            day=self.number(data, "day", 0, 3, 1),
        )

    def session(self, data: Any) -> SessionPlan:
        return SessionPlan(
            code=self.text(data, "code"),
            kind=self.text(data, "kind"),
            day=self.number(data, "day", 0, 4),
            hour=self.number(data, "hour", 0, 23),
            unit=self.optional_text(data, "unit"),
            roles=self.text(data, "roles"),
            participants=self.each(data, "participants", lambda p: (self.text(p, "name"), self.text(p, "role"))),
            notes=self.text(data, "notes"),
            covers=self.texts(data, "covers"),
            generic=self.get(data, "generic", bool, False),
            units=self.texts(data, "units", []),
        )

    def finding(self, data: Any) -> FindingPlan:
        return FindingPlan(
            self.optional_text(data, "pa"),
            self.optional_text(data, "target"),
            self.text(data, "kind"),
            self.text(data, "status"),
            self.text(data, "text"),
        )


def read_demo_content(text: str, *, source: str) -> DemoContent:
    """The demo content from YAML text; DemoContentError names the file, line and field of a problem."""
    data = load_yaml(text, source=source)
    r = _Reader(source)
    teams = r.get(data, "mini_teams", dict)
    stories = r.get(data, "stories", dict)
    weaknesses = r.get(data, "generic_weaknesses", dict)
    versions = r.get(data, "earlier_versions", dict)
    return DemoContent(
        security_office=r.text(data, "security_office"),
        security_mini_team=r.texts(teams, "security"),
        delivery_mini_team=r.texts(teams, "delivery"),
        deliberate_attribution=r.text(data, "deliberate_attribution"),
        stories={str(acronym): r.story(story) for acronym, story in stories.items()},
        generic_documents=r.each(data, "generic_documents", r.doc),
        generic_said=r.each(data, "generic_said", r.said),
        generic_weaknesses={str(code): r.text(weaknesses, code) for code in weaknesses},
        sessions=r.each(data, "sessions", r.session),
        review_flags=r.each(
            data,
            "review_flags",
            lambda f: (r.text(f, "process_area"), r.text(f, "practice"), r.text(f, "unit"), r.text(f, "comment")),
        ),
        findings=r.each(data, "findings", r.finding),
        referenced=r.each(
            data,
            "referenced",
            lambda d: (r.text(d, "title"), r.text(d, "location"), r.text(d, "process_area"), r.texts(d, "practices")),
        ),
        earlier_versions={
            str(title): (r.text(v, "current"), r.text(v, "older"), r.text(v, "older_text"))
            for title, v in ((t, r.get(versions, t, dict)) for t in versions)
        },
    )
