"""Issue 13, case 1: an output never replaces an appraisal (recognised by content), never the file it is read
from, and never an existing file without --force; a write that fails (disk full) or is cut off (power cut,
SIGKILL during the rename) leaves the old file or the new one, never half of one."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from app.storage.errors import DiskFullError
from app.storage.output_files import OutputExistsError, OutputRefusedError, write_atomically
from tests.e2e.conftest import Result
from tests.reliability.support import digest

REPO = Path(__file__).resolve().parents[2]
CLI = Callable[..., Result]


def _refused(result: Result, *words: str) -> None:
    assert result.code == 1, (result.out, result.err)
    assert "Traceback" not in result.err and "Wrote" not in result.out
    for word in words:
        assert word in result.err, result.err


@pytest.mark.parametrize("kind", ["xlsx", "pdf"])
def test_an_export_never_replaces_the_appraisal_it_reads(cli: CLI, appraisal_path: Path, kind: str) -> None:
    before = digest(appraisal_path)
    _refused(cli("export", kind, appraisal_path, "-o", appraisal_path), "being read")
    _refused(cli("export", kind, appraisal_path, "-o", appraisal_path, "--force"), "being read")
    assert digest(appraisal_path) == before
    assert cli("info", appraisal_path).code == 0


@pytest.mark.parametrize("kind", ["xlsx", "pdf"])
def test_an_export_never_replaces_another_appraisal_whatever_its_name(
    cli: CLI, appraisal_path: Path, tmp_path: Path, kind: str
) -> None:
    other = tmp_path / "other.appraisal"
    assert cli("new", other).code == 0
    disguised = tmp_path / f"looks-like-a.{kind}"
    other.rename(disguised)  # an appraisal with an output's extension: judged by content
    before = digest(disguised)
    _refused(cli("export", kind, appraisal_path, "-o", disguised, "--force"), "is an appraisal file")
    assert digest(disguised) == before


def test_model_files_are_never_written_over_an_appraisal(cli: CLI, appraisal_path: Path) -> None:
    before = digest(appraisal_path)
    _refused(cli("models", "template", "-o", appraisal_path, "--force"), "is an appraisal file")
    _refused(cli("models", "export", "CMMI-SVC", "-o", appraisal_path, "--force"), "is an appraisal file")
    assert digest(appraisal_path) == before


def test_an_appraisal_sidecar_is_never_an_output(cli: CLI, appraisal_path: Path) -> None:
    wal = appraisal_path.with_name(appraisal_path.name + "-wal")
    _refused(cli("export", "pdf", appraisal_path, "-o", wal, "--force"), "-wal")
    assert not wal.exists()


def test_an_existing_file_is_replaced_only_with_force(cli: CLI, appraisal_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "summary.pdf"
    target.write_bytes(b"the sponsor's copy")
    _refused(cli("export", "pdf", appraisal_path, "-o", target), "already exists", "--force")
    assert target.read_bytes() == b"the sponsor's copy"
    done = cli("export", "pdf", appraisal_path, "-o", target, "--force")
    assert done.code == 0, done.err
    assert target.read_bytes().startswith(b"%PDF")
    template = tmp_path / "template.xlsx"
    template.write_bytes(b"mine")
    _refused(cli("models", "template", "-o", template), "already exists")
    assert template.read_bytes() == b"mine"
    assert cli("models", "template", "-o", template, "--force").code == 0


def test_a_link_to_the_appraisal_is_the_appraisal(appraisal_path: Path, tmp_path: Path) -> None:
    link = tmp_path / "report.pdf"
    os.link(appraisal_path, link)
    with pytest.raises(OutputRefusedError, match="being read"):
        write_atomically_with(link, inputs=(appraisal_path,))
    symlink = tmp_path / "elsewhere.xlsx"
    symlink.symlink_to(appraisal_path)
    with pytest.raises(OutputRefusedError):
        write_atomically_with(symlink, inputs=())
    assert appraisal_path.read_bytes().startswith(b"SQLite format 3")


def write_atomically_with(path: Path, inputs: tuple[Path, ...]) -> None:
    from app.storage.output_files import OutputTarget

    write_atomically(OutputTarget(path, overwrite=True, inputs=inputs), lambda temp: temp.write_bytes(b"x"))


def test_a_file_that_appears_during_the_write_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"

    def slow_write(temp: Path) -> None:
        temp.write_bytes(b"new")
        target.write_bytes(b"someone else's")  # another program saves there meanwhile

    with pytest.raises(OutputExistsError):
        write_atomically(target, slow_write)
    assert target.read_bytes() == b"someone else's"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_disk_full_during_an_export_leaves_the_target_untouched(tmp_path: Path) -> None:
    target = tmp_path / "workbook.xlsx"
    target.write_bytes(b"yesterday's workbook")

    def fills_the_disk(temp: Path) -> None:
        with open(temp, "wb") as out:
            out.write(b"half a workbook")
            raise OSError(errno.ENOSPC, "No space left on device")

    from app.storage.output_files import OutputTarget

    with pytest.raises(DiskFullError, match="disk is full"):
        write_atomically(OutputTarget(target, overwrite=True), fills_the_disk)
    assert target.read_bytes() == b"yesterday's workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["workbook.xlsx"]


POWER_CUT = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from app.storage.output_files import OutputTarget, write_atomically

    target, when, call = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    real = getattr(os, call)

    def cut(*args, **kwargs):
        if when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        real(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)

    setattr(os, call, cut)
    write_atomically(OutputTarget(target, overwrite=call == "replace"), lambda t: t.write_bytes(b"NEW" * 50000))
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize("call", ["replace", "link"])
def test_a_power_cut_during_the_rename_leaves_the_old_or_the_new_file(tmp_path: Path, when: str, call: str) -> None:
    target = tmp_path / "out.pdf"
    old = b"OLD" * 1000
    if call == "replace":
        target.write_bytes(old)
    proc = subprocess.run(
        [sys.executable, "-c", POWER_CUT, str(target), when, call], cwd=REPO, capture_output=True, timeout=60
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    found = target.read_bytes() if target.exists() else None
    assert found in ({old, b"NEW" * 50000} if call == "replace" else {None, b"NEW" * 50000})
    if when == "after":
        assert found == b"NEW" * 50000
