"""The demo content is data: the shipped file reads, and a damaged one says where it is damaged."""

from __future__ import annotations

import pytest

from app.services.demo_content import DemoContentError, demo_content, read_demo_content
from app.storage.resources import resources_dir

SHIPPED = resources_dir() / "demo" / "demo-content.yaml"


def test_the_shipped_content_covers_every_session_unit_and_names_no_participant_in_team_texts() -> None:
    content = demo_content()
    participants = {name for plan in content.sessions for name, _role in plan.participants}
    team_texts = [
        text
        for story in content.stories.values()
        for text in (*story.weaknesses, *story.strengths, *(c.weakness for c in story.cells))
    ]
    assert len(content.sessions) == 14 and "SM" in content.stories
    assert not [text for text in team_texts if any(name in text for name in participants)]


def test_a_missing_field_is_named_with_its_file_and_line() -> None:
    text = SHIPPED.read_text(encoding="utf-8").replace("    unit_record: Security tasks log", "    record: Security", 1)
    with pytest.raises(DemoContentError, match=r"^demo-content\.yaml, line \d+: 'unit_record' is missing$"):
        read_demo_content(text, source="demo-content.yaml")


def test_a_field_of_the_wrong_type_is_named_with_the_line_it_stands_on() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    lines = text.splitlines()
    hour = next(n for n, line in enumerate(lines) if line.strip().startswith("hour:"))
    lines[hour] = "  hour: nine"
    with pytest.raises(DemoContentError) as caught:
        read_demo_content("\n".join(lines), source="demo-content.yaml")
    assert (
        str(caught.value)
        == f"demo-content.yaml, line {hour + 1}: 'hour' must be a whole number from 0 to 23, found 'nine'"
    )
