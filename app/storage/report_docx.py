"""Writing the Word report from a docxtpl template (Jinja in Word) and the report's field values.

The shipped templates are resources/templates/report-{team,sponsor}.docx; an organisation's own template is
kept in the appraisal file (`report_template`) and passed here as bytes. Values are escaped for XML, so a
finding with "<" or "&" in it cannot break the document; a field a template names but the report lacks is an
error (StrictUndefined), caught earlier by `templates check`.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, StrictUndefined, TemplateError

from app.storage.errors import KnownError
from app.storage.output_files import OutputTarget, write_atomically
from app.storage.resources import resources_dir

Progress = Callable[[int, int, str], None]
CHART_WIDTH_MM = 165
EDITIONS = ("team", "sponsor")


def default_template(edition: str) -> bytes:
    """The shipped report template for an edition."""
    return default_template_named(f"report-{edition}")


def default_template_named(stem: str) -> bytes:
    """A shipped template: report-team, report-sponsor or disclosure-statement."""
    return (resources_dir() / "templates" / f"{stem}.docx").read_bytes()


def render_docx(template: bytes, context: dict[str, Any], chart_png: bytes | None) -> bytes:
    """The report's bytes: `template` filled with `context` (plus `profile_chart` from `chart_png`)."""
    try:
        doc = DocxTemplate(io.BytesIO(template))
        doc.init_docx()
    except Exception as exc:  # python-docx raises several kinds for a file that is not a usable .docx
        raise KnownError(f"The report template cannot be opened as a Word document: {exc}") from None
    values = dict(context)
    if chart_png is not None:
        values["profile_chart"] = InlineImage(doc, io.BytesIO(chart_png), width=Mm(CHART_WIDTH_MM))
    env = Environment(undefined=StrictUndefined, autoescape=True)
    try:
        doc.render(values, jinja_env=env, autoescape=True)
    except TemplateError as exc:
        raise KnownError(
            f"The report template does not fit the report's fields ({exc}); run `appraisal-desk templates check` "
            "on it to see every problem with its place."
        ) from None
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def write_docx(content: bytes, target: Path | OutputTarget) -> None:
    def write(temp: Path) -> None:
        temp.write_bytes(content)

    write_atomically(target, write)
