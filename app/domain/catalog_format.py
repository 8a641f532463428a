"""The project's own catalog format: model files (`appraisal-desk/model-v1`) and the links file (`links-v1`).

Parsing takes already-loaded data (mappings and lists), so it stays pure. Mappings that know where they came
from make every problem name its place: `line_of(key)` (YAML lines, see `app/storage/yaml_source.py`) or
`cell_of(key)` (spreadsheet cells). Every problem is collected before raising, and nothing is returned when
there is any, so a half-valid file never becomes half a model. `docs/model-format.md` documents the format.

The readers are `model_reader` and `links_reader` (with the checks across files), the writer `catalog_writer`;
this module holds what they share: the format names, the vocabularies and the error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from app.domain.located import LocatedReader, Problem, show

MODEL_FORMAT = "appraisal-desk/model-v1"
LINKS_FORMAT = "appraisal-desk/links-v1"

INFORMATIVE_KINDS = ("subpractice", "note", "example", "elaboration", "example-work-product", "summary")
RELATIONS: dict[str, str] = {
    "extends": "the source goes further than the target",
    "extended-by": "the target goes further than the source",
    "derived-from": "the source's content was derived from the target",
    "detailed-by": "the target gives more detail and rigor for implementing the source",
    "overlaps": "both cover part of the same ground; evidence for one often serves the other",
    "uses": "the source relies on what the target produces",
    "supports": "what the source produces feeds the target",
    "equivalent": "the same intent in both models",
}

# Keys and versions name library files and appear in links, so they stay plain: no spaces, no '|' or '/'.
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}\Z")
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+-]{0,63}\Z")


class CatalogError(ValueError):
    """A catalog file or catalog is not valid; `problems` lists every problem found, each located."""

    def __init__(self, problems: Sequence[Problem], headline: str = "The model catalog has problems") -> None:
        self.problems = list(problems)
        self.headline = headline
        super().__init__(f"{headline}:\n" + "\n".join(f"  {p}" for p in self.problems))


def format_header(reader: LocatedReader, data: object, expected: str, what: str) -> Mapping[Any, Any] | None:
    if not isinstance(data, Mapping):
        reader.problem(data, None, "", f"{what} must be a YAML mapping starting with 'format: {expected}'")
        return None
    found = data.get("format")
    if found is None:
        reader.problem(data, None, "", f"the header 'format: {expected}' is missing")
        return None
    if found != expected:
        # A different format would only produce noise below, so stop at this one problem.
        reader.problem(data, "format", "", f"unknown format {show(found)}; this version reads '{expected}'")
        return None
    return data
