"""Writing the appraisal record folder: the disclosure statement (DOCX and PDF), record.json and one CSV per table.

Each file is written through a temporary file and renamed into place, so a failure leaves whole files only.
The CSV files are UTF-8 with a byte-order mark (Excel then reads accents right) and Excel's comma dialect.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from app.domain.record import TABLES, csv_rows
from app.domain.report import ReportData
from app.storage.disclosure_pdf import write_disclosure_pdf
from app.storage.errors import KnownError
from app.storage.output_files import OutputExistsError, OutputTarget, output_target, write_atomically

Progress = Callable[[int, int, str], None]
STATEMENT = "disclosure-statement"
RECORD_JSON = "record.json"


def record_file_names() -> list[str]:
    """Every file the record folder holds, in the order they are written."""
    return [f"{STATEMENT}.docx", f"{STATEMENT}.pdf", RECORD_JSON, *(f"{t}.csv" for t in TABLES)]


def _bytes(target: OutputTarget, content: bytes) -> None:
    def write(temp: Path) -> None:
        temp.write_bytes(content)

    write_atomically(target, write)


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, dialect="excel").writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def prepare_folder(folder: Path) -> Path:
    folder = Path(folder).expanduser()
    if folder.exists() and not folder.is_dir():
        raise KnownError(f"{folder} is a file; the record is written into a folder. Choose a folder name.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KnownError(f"Cannot create the folder {folder}: {exc.strerror or exc}.") from None
    return folder


def record_targets(folder: Path, *, overwrite: bool = False, inputs: Iterable[Path | None] = ()) -> list[OutputTarget]:
    """Every record file's target, all checked before anything is written (the folder is made when writing).

    An existing record is replaced only with `overwrite`; without it the refusal names every file in the way,
    so a record is never left half old, half new.
    """
    folder = Path(folder).expanduser()
    if folder.exists() and not folder.is_dir():
        raise KnownError(f"{folder} is a file; the record is written into a folder. Choose a folder name.")
    in_the_way = [name for name in record_file_names() if (folder / name).exists()]
    if in_the_way and not overwrite:
        raise OutputExistsError(
            f"{folder} already holds a record ({', '.join(in_the_way)}); nothing was written. Choose another "
            "folder, or replace it (--force on the command line)."
        )
    protected = tuple(Path(p) for p in inputs if p is not None)
    targets = [OutputTarget(folder / name, overwrite, protected) for name in record_file_names()]
    for target in targets:
        if target.path.exists():
            output_target(target.path, overwrite=overwrite, inputs=protected)  # never over an appraisal
    return targets


def write_record(
    targets: Sequence[OutputTarget],
    data: ReportData,
    record: dict[str, Any],
    statement_docx: bytes,
    signatures: Sequence[tuple[str, str]],
    progress: Progress,
) -> list[Path]:
    """Write every record file to its checked target (see `record_targets`); returns the paths written."""
    prepare_folder(targets[0].path.parent)
    by_name = {t.path.name: t for t in targets}
    names = record_file_names()
    written: list[Path] = []

    def step(name: str) -> OutputTarget:
        progress(len(written), len(names), f"Writing {name}")
        target = by_name[name]
        written.append(target.path)
        return target

    _bytes(step(f"{STATEMENT}.docx"), statement_docx)
    write_disclosure_pdf(data, signatures, step(f"{STATEMENT}.pdf"))
    _bytes(step(RECORD_JSON), (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    for table in TABLES:
        _bytes(step(f"{table}.csv"), _csv(csv_rows(record, table)))
    progress(len(names), len(names), "Done")
    return written
