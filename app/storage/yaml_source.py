"""YAML reading that remembers where each mapping and key came from, for error messages with line numbers."""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node


class LineDict(dict[Any, Any]):
    """A mapping read from YAML: `.line` is where it starts, `.key_lines` where each key stands (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class _LineLoader(yaml.SafeLoader):
    def construct_mapping(self, node: MappingNode, deep: bool = False) -> LineDict:
        _refuse_duplicate_keys(self, node)
        mapping = LineDict(super().construct_mapping(node, deep=deep))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, _value in node.value:
            key: Node = key_node
            try:
                mapping.key_lines[self.construct_object(key, deep=deep)] = key.start_mark.line + 1
            except TypeError:
                continue
        return mapping


def _refuse_duplicate_keys(loader: yaml.SafeLoader, node: MappingNode) -> None:
    """A key given twice is an error naming both lines: YAML's own rule (the last one wins) would silently
    drop the first block, e.g. a plan's sponsor and dates when `appraisal:` appears twice."""
    seen: dict[Any, int] = {}
    for key_node, _value in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        try:
            key = loader.construct_object(key_node, deep=True)
            first = seen.setdefault(key, key_node.start_mark.line + 1)
        except TypeError:
            continue  # an unhashable key: the mapping constructor reports it
        if first != key_node.start_mark.line + 1:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"the key {key!r} appears twice, at line {first} and at line {key_node.start_mark.line + 1}; "
                "keep one (YAML would silently drop the first)",
                key_node.start_mark,
            )


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _LineLoader.construct_mapping,
)


class YamlSyntaxError(ValueError):
    def __init__(self, source: str, line: int | None, problem: str) -> None:
        where = f"{source}, line {line}" if line else source
        super().__init__(f"{where}: {problem}")
        self.source = source
        self.line = line
        self.problem = problem


def load_yaml(text: str, *, source: str) -> Any:
    """Parse YAML text; mappings come back as LineDict. Raises YamlSyntaxError naming the line."""
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise YamlSyntaxError(source, line, f"not valid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(source, None, f"not valid YAML: {exc}") from None
    except RecursionError:
        raise YamlSyntaxError(source, None, "not valid YAML here: it is nested too deeply to read") from None
    except (ValueError, OverflowError) as exc:
        # PyYAML's constructors let these through for a date such as 2026-13-45 or an integer of 5,000 digits.
        raise YamlSyntaxError(source, None, f"not valid YAML: a value cannot be read ({exc})") from None
