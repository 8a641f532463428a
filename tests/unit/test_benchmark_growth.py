"""The benchmark's growth judgment: what it flags as growing faster than the appraisal is what a person would
profile; process-start noise on figures whose work does not change is not."""

from __future__ import annotations

from typing import Any

from benchmarks.run import _growth


def _results(figures: dict[str, tuple[float, float]], cells: tuple[int, int] = (1_000, 10_000)) -> dict[str, Any]:
    sizes: dict[str, Any] = {}
    for index, size in enumerate(("M", "L")):
        measures = {name: {"value": values[index], "unit": "ms"} for name, values in figures.items()}
        sizes[size] = {"build": {"counts": {"characterizations": cells[index]}}, "measures": measures}
    return sizes


def _flagged(figures: dict[str, tuple[float, float]]) -> dict[str, list[str]]:
    growth = _growth(_results(figures), list(figures))
    return {name: steps["faster_than_work"] for name, steps in growth.items()}


def test_a_figure_growing_faster_than_its_cells_is_flagged() -> None:
    assert _flagged({"ratings.full": (100.0, 1_400.0)}) == {"ratings.full": ["M->L"]}


def test_a_figure_growing_with_its_cells_is_not_flagged() -> None:
    assert _flagged({"ratings.full": (100.0, 1_150.0)}) == {"ratings.full": []}


def test_a_constant_figure_that_measures_a_little_slower_is_noise() -> None:
    assert _flagged({"cli.help": (78.0, 99.0)}) == {"cli.help": []}


def test_a_constant_figure_that_really_grew_is_flagged() -> None:
    assert _flagged({"cli.help": (78.0, 160.0)}) == {"cli.help": ["M->L"]}


def test_figures_too_small_to_time_are_not_judged() -> None:
    assert _flagged({"ratings.after_edit": (0.2, 4.0)}) == {"ratings.after_edit": []}
