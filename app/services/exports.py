"""Exporting an appraisal: the practice-characterization workbook and the PDF appraisal summary.

Both take an edition (team or sponsor) and a confidentiality marking shown on every sheet and page; both are
written to a temporary file beside the target and renamed into place, so a failed export never leaves half a
file where the old one was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.domain.report import DEFAULT_MARKINGS, Edition, ReportData
from app.domain.text import TEXT_LIMIT, TextError, clean_text
from app.services.report_data import build_report
from app.services.workspace import Workspace
from app.storage.errors import KnownError
from app.storage.output_files import OutputTarget, output_target

Progress = Callable[[int, int, str], None]
MAX_MARKING = 160
_SCALE = 100
_DATA_SHARE = 30
"""Of the progress bar, the part spent reading and rating (the rest is writing)."""


def _silent(_done: int, _total: int, _label: str) -> None:
    return None


class ExportCancelled(KnownError):
    """The person cancelled an export; nothing was written (the old file, if any, is as it was)."""


def cancellable(progress: Progress, cancelled: Callable[[], bool]) -> Progress:
    """`progress` that stops the export (ExportCancelled) at its next step once `cancelled()` is true."""

    def report(done: int, total: int, label: str) -> None:
        if cancelled():
            raise ExportCancelled("The export was cancelled; nothing was written.")
        progress(done, total, label)

    return report


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    edition: Edition
    marking: str
    process_areas: int
    cells: int
    """Instantiation rows written (0 for the sponsor edition and the PDF)."""


def edition_of(text: str | Edition) -> Edition:
    try:
        return Edition(text)
    except ValueError:
        raise KnownError(f"{text!r} is not an edition; choose {' or '.join(e.value for e in Edition)}.") from None


def marking_for(edition: Edition, marking: str | None) -> str:
    """The marking to print: the one given (tidied), or the edition's default when none is."""
    try:
        text = " ".join(clean_text(marking or "", "The confidentiality marking", limit=TEXT_LIMIT).split())
    except TextError as exc:
        raise KnownError(str(exc)) from None
    if not text:
        return DEFAULT_MARKINGS[edition]
    if len(text) > MAX_MARKING:
        raise KnownError(f"The confidentiality marking is {len(text)} characters; keep it within {MAX_MARKING}.")
    return text


def report_for(
    ws: Workspace,
    edition: Edition,
    marking: str | None,
    progress: Progress,
    *,
    names_only: bool = False,
    per_cell: bool = True,
) -> ReportData:
    def scaled(done: int, total: int, label: str) -> None:
        progress(_DATA_SHARE * done // max(total, 1), _SCALE, label)

    return build_report(
        ws, edition, marking_for(edition, marking), progress=scaled, names_only=names_only, per_cell=per_cell
    )


def writer_progress(progress: Progress) -> Progress:
    def scaled(done: int, total: int, label: str) -> None:
        progress(_DATA_SHARE + (_SCALE - _DATA_SHARE) * done // max(total, 1), _SCALE, label)

    return scaled


def check_output(path: Path, source: Path | None, *, overwrite: bool = False) -> None:
    """Raise OutputRefusedError (never writable: an appraisal, the source) or OutputExistsError (ask first)."""
    output_target(path, overwrite=overwrite, inputs=(source,))


def _target(ws: Workspace, path: Path, overwrite: bool) -> OutputTarget:
    """Checked before any reading: a refused target costs the user no waiting."""
    return output_target(path, overwrite=overwrite, inputs=(ws.path,))


def export_xlsx(
    ws: Workspace,
    path: Path,
    edition: Edition | str = Edition.TEAM,
    marking: str | None = None,
    progress: Progress = _silent,
    *,
    overwrite: bool = False,
) -> ExportResult:
    """Write the practice-characterization workbook (docs/workbook-format.md) to `path`.

    Never over the appraisal (or any appraisal); over another existing file only with `overwrite`.
    """
    from app.storage.workbook_writer import write_workbook  # openpyxl loads when a workbook is written

    return _export(ws, path, edition, marking, progress, overwrite, write_workbook, per_cell=True)


def export_pdf(
    ws: Workspace,
    path: Path,
    edition: Edition | str = Edition.TEAM,
    marking: str | None = None,
    progress: Progress = _silent,
    *,
    overwrite: bool = False,
) -> ExportResult:
    """Write the PDF appraisal summary to `path`.

    Never over the appraisal (or any appraisal); over another existing file only with `overwrite`.
    """
    from app.storage.summary_pdf import write_summary_pdf  # reportlab loads when a PDF is written

    return _export(ws, path, edition, marking, progress, overwrite, write_summary_pdf, per_cell=False)


def _export(
    ws: Workspace,
    path: Path,
    edition: Edition | str,
    marking: str | None,
    progress: Progress,
    overwrite: bool,
    write: Callable[[ReportData, OutputTarget, Progress], None],
    *,
    per_cell: bool,
) -> ExportResult:
    """`per_cell`: the output shows every cell (the workbook), not only practices (the PDF summary)."""
    chosen = edition_of(edition)
    target = _target(ws, path, overwrite)
    data = report_for(ws, chosen, marking, progress, per_cell=per_cell)
    write(data, target, writer_progress(progress))
    cells = data.cell_count if per_cell else 0
    return ExportResult(Path(path), chosen, data.marking, len(data.process_areas), cells)
