"""Checking a Word report template before a report is made from it: broken tags and unknown fields, with places.

Word splits what a person typed into runs wherever formatting or spell-checking changes, so tags are read from
each paragraph's whole text, as docxtpl joins them. A tag must open and close in one paragraph; block tags
(`{% for %}`/`{% endfor %}`, `{% if %}`/`{% endif %}`) must pair across the document. Every field a tag reads is
resolved against `app.domain.report_fields.FIELDS`, loop variables included, so `{{ pa.nme }}` inside
`{%p for pa in process_areas %}` is reported as unknown where it is, with the nearest known name.
"""

from __future__ import annotations

import difflib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateSyntaxError, nodes
from lxml import etree

from app.domain.report_fields import FIELDS, TemplateField
from app.storage.errors import KnownError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TOKEN = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
_CLOSERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_PREFIX = re.compile(r"^(tr|tc|p|r)\s+(?=\S)")
"""docxtpl's tag prefixes: the tag stands for its table row, cell, paragraph or run."""
_BLOCKS = {"for": "endfor", "if": "endif"}
_JINJA_GLOBALS = {"loop", "range", "dict", "namespace", "cycler", "joiner", "lipsum", "true", "false", "none"}
MAX_EXCERPT = 60


@dataclass(frozen=True, slots=True)
class TemplateProblem:
    place: str
    """Where in the document: "paragraph 12", "table 2, row 3, cell 1", "header 1"."""
    tag: str
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.tag}  {self.message}" if self.tag else f"{self.place}: {self.message}"


@dataclass
class _Item:
    """What a name stands for while checking: a field (or a list's item), or anything (a template's own set)."""

    spec: TemplateField | None
    label: str


@dataclass
class _Open:
    keyword: str
    place: str
    tag: str
    saved: dict[str, _Item | None] = field(default_factory=dict)
    """The names a for tag binds, with what they stood for before (restored at its endfor)."""


def _excerpt(tag: str) -> str:
    flat = " ".join(tag.split())
    return flat if len(flat) <= MAX_EXCERPT else flat[: MAX_EXCERPT - 1] + "…"


def _paragraphs(root: Any, part: str) -> list[tuple[str, str]]:
    """(place, text) of every paragraph of a part, in document order."""
    out: list[tuple[str, str]] = []
    body = root.find(f"{W}body")
    tables = [t for t in body.iter(f"{W}tbl") if _outer_table(t) is t] if body is not None else []
    loose = 0
    for p in root.iter(f"{W}p"):
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        if part != "document":
            out.append((part, text))
            continue
        cell = next((a for a in p.iterancestors(f"{W}tc")), None)
        if cell is None:
            loose += 1
            out.append((f"paragraph {loose}", text))
            continue
        row = cell.getparent()
        table = row.getparent()
        outer = _outer_table(table)
        number = tables.index(outer) + 1 if outer in tables else 0
        rows = [r for r in table if r.tag == f"{W}tr"]
        cells = [c for c in row if c.tag == f"{W}tc"]
        nested = " (nested table)" if outer is not table else ""
        place = f"table {number}{nested}, row {rows.index(row) + 1}, cell {cells.index(cell) + 1}"
        out.append((place, text))
    return out


def _outer_table(table: Any) -> Any:
    outer = table
    for ancestor in table.iterancestors(f"{W}tbl"):
        outer = ancestor
    return outer


def _parts(archive: zipfile.ZipFile) -> list[tuple[str, bytes]]:
    names = set(archive.namelist())
    if "word/document.xml" not in names:
        raise KnownError("This is not a Word document (.docx): it has no word/document.xml.")
    found = [("document", archive.read("word/document.xml"))]
    for kind in ("header", "footer"):
        numbered = {int(m.group(1)): n for n in names if (m := re.fullmatch(rf"word/{kind}(\d+)\.xml", n))}
        found += [(f"{kind} {number}", archive.read(numbered[number])) for number in sorted(numbered)]
    return found


class _Checker:
    def __init__(self) -> None:
        self.env = Environment()
        self.problems: list[TemplateProblem] = []
        self.stack: list[_Open] = []
        self.scope: dict[str, _Item] = {f.name: _Item(f, f.name) for f in FIELDS}

    def problem(self, place: str, tag: str, message: str) -> None:
        self.problems.append(TemplateProblem(place, _excerpt(tag), message))

    # tags ------------------------------------------------------------------------------------------------

    def paragraph(self, place: str, text: str) -> None:
        pos = 0
        while True:
            match = _TOKEN.search(text, pos)
            if match is None:
                return
            token = match.group()
            if token not in _CLOSERS:
                self.problem(place, token, f"“{token}” closes a tag that was never opened in this paragraph")
                pos = match.end()
                continue
            closer = _CLOSERS[token]
            following = _TOKEN.search(text, match.end())
            if following is None or following.group() != closer:
                shown = text[match.start() : following.start() if following else len(text)]
                self.problem(place, shown, f"“{token}” is not closed by “{closer}” in the same paragraph")
                pos = following.start() if following else len(text)
                continue
            inner = text[match.end() : following.start()]
            whole = text[match.start() : following.end()]
            if token == "{{":
                self.expression(place, whole, inner)
            elif token == "{%":
                self.statement(place, whole, inner)
            pos = following.end()

    def expression(self, place: str, whole: str, inner: str) -> None:
        body = _PREFIX.sub("", inner.strip())
        if not body:
            self.problem(place, whole, "is empty: name a field, e.g. {{ appraisal.name }}")
            return
        try:
            tree = self.env.parse("{{ " + body + " }}")
        except TemplateSyntaxError as exc:
            self.problem(place, whole, f"is not a valid field expression ({exc.message})")
            return
        self.names(place, whole, tree)

    def statement(self, place: str, whole: str, inner: str) -> None:
        body = _PREFIX.sub("", inner.strip())
        keyword = body.split(None, 1)[0] if body else ""
        if keyword in _BLOCKS:
            try:
                tree = self.env.parse("{% " + body + " %}{% " + _BLOCKS[keyword] + " %}")
            except TemplateSyntaxError as exc:
                self.problem(place, whole, f"is not a valid {keyword} tag ({exc.message})")
                self.stack.append(_Open(keyword, place, whole))
                return
            block = _Open(keyword, place, whole)
            node = tree.body[0]
            if isinstance(node, nodes.For):
                self.names(place, whole, node.iter)
                item = self.resolve(node.iter)
                for target in _with_self(node.target, nodes.Name):
                    block.saved[target.name] = self.scope.get(target.name)
                    self.scope[target.name] = _Item(_item_of(item), target.name)
                if node.test is not None:
                    self.names(place, whole, node.test)
            elif isinstance(node, nodes.If):
                self.names(place, whole, node.test)
            self.stack.append(block)
        elif keyword in ("elif", "else"):
            if not self.stack or self.stack[-1].keyword != "if":
                self.problem(place, whole, f"“{keyword}” outside an {{% if %}} block")
            elif keyword == "elif":
                self.expression(place, whole, body[len("elif") :])
        elif keyword in _BLOCKS.values():
            opening = next(k for k, v in _BLOCKS.items() if v == keyword)
            if not self.stack:
                self.problem(place, whole, f"“{keyword}” without an {{% {opening} %}} before it")
            elif self.stack[-1].keyword != opening:
                top = self.stack[-1]
                self.problem(place, whole, f"“{keyword}” closes the {{% {top.keyword} %}} opened at {top.place}")
                self.close(self.stack.pop())
            else:
                self.close(self.stack.pop())
        elif keyword == "set":
            try:
                tree = self.env.parse("{% " + body + " %}")
            except TemplateSyntaxError as exc:
                self.problem(place, whole, f"is not a valid set tag ({exc.message})")
                return
            for assign in tree.find_all(nodes.Assign):
                self.names(place, whole, assign.node)
                for target in _with_self(assign.target, nodes.Name):
                    self.scope[target.name] = _Item(None, target.name)
        elif keyword in ("cellbg", "colspan", "hm", "vm"):
            return  # docxtpl's cell formatting tags
        else:
            self.problem(place, whole, f"“{keyword or body}” is not a tag report templates support (for, if, set)")

    def close(self, block: _Open) -> None:
        for name, previous in block.saved.items():
            if previous is None:
                self.scope.pop(name, None)
            else:
                self.scope[name] = previous

    def finish(self) -> None:
        for block in self.stack:
            closer = _BLOCKS.get(block.keyword, "end")
            self.problem(block.place, block.tag, f"is never closed by {{% {closer} %}}")
        self.stack.clear()

    # fields ----------------------------------------------------------------------------------------------

    def names(self, place: str, whole: str, tree: nodes.Node) -> None:
        called = {id(call.node) for call in _with_self(tree, nodes.Call)}
        inner = {id(n.node) for n in _with_self(tree, nodes.Getattr)}
        for node in _with_self(tree, (nodes.Getattr, nodes.Name)):
            if id(node) in inner or id(node) in called:
                continue  # checked as part of the longer chain, or a method call
            if isinstance(node, nodes.Name) and node.ctx != "load":
                continue
            self.resolve(node, place, whole)

    def resolve(self, node: nodes.Node, place: str | None = None, whole: str = "") -> _Item | None:
        chain: list[str] = []
        while isinstance(node, nodes.Getattr):
            chain.append(node.attr)
            node = node.node
        if not isinstance(node, nodes.Name):
            return None
        chain.append(node.name)
        chain.reverse()
        item = self.scope.get(chain[0])
        if item is None:
            if chain[0] not in _JINJA_GLOBALS and place is not None:
                self.problem(place, whole, f"unknown field “{chain[0]}”{_suggest(chain[0], list(self.scope))}")
            return None
        for depth, attr in enumerate(chain[1:], start=1):
            if item.spec is None:
                return None
            child = item.spec.child(attr)
            if child is None:
                if place is not None:
                    path = ".".join(chain[: depth + 1])
                    names = [c.name for c in item.spec.children]
                    what = f"{item.label} has no field “{attr}”" if names else f"{item.label} is a text, not a group"
                    self.problem(place, whole, f"unknown field “{path}”: {what}{_suggest(attr, names)}")
                return None
            item = _Item(child, f"{item.label}.{attr}")
        return item


def _with_self(node: nodes.Node, kind: Any) -> list[Any]:
    """`node` itself when it is of `kind`, then its descendants of that kind (jinja's find_all skips the node)."""
    return ([node] if isinstance(node, kind) else []) + list(node.find_all(kind))


def _item_of(item: _Item | None) -> TemplateField | None:
    """What one loop turn over `item` gives: an item of a list field; None (anything) when not known."""
    if item is None or item.spec is None or not item.spec.many:
        return None
    return TemplateField(item.spec.name, item.spec.description, item.spec.children, many=False)


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f" (did you mean “{close[0]}”?)" if close else ""


def check_template(source: Path | bytes) -> list[TemplateProblem]:
    """Every broken tag and unknown field of a .docx template, in document order (headers and footers last)."""
    if isinstance(source, bytes):
        raw = source
    else:
        try:
            raw = Path(source).read_bytes()
        except OSError as exc:
            raise KnownError(f"Cannot read the template {source}: {exc.strerror or exc}.") from None
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise KnownError("This is not a Word document (.docx): it is not a zip package.") from None
    checker = _Checker()
    with archive:
        for part, xml in _parts(archive):
            try:
                root = etree.fromstring(xml)
            except etree.XMLSyntaxError as exc:
                checker.problem(part, "", f"the document's XML is damaged ({exc})")
                continue
            for place, text in _paragraphs(root, part):
                checker.paragraph(place, text)
            if part == "document":
                checker.finish()
    checker.finish()
    return checker.problems
