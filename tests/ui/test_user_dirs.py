"""The user's own files live in each OS's place, or all under $APPRAISAL_DESK_HOME; bugs reach a log there."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from app.services import user_dirs
from app.storage.catalog_files import library_dir
from app.ui.common.errors import show_error
from app.ui.shell import app as ui_app
from app.ui.shell.settings import SETTINGS_FILE, UiSettings, default_store


def test_appraisal_desk_home_holds_the_library_the_settings_and_the_logs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APPRAISAL_DESK_HOME", str(tmp_path))
    assert library_dir() == tmp_path / "models"
    assert user_dirs.config_dir() == tmp_path / "config"
    assert user_dirs.log_dir() == tmp_path / "logs"


def test_without_it_each_os_has_its_own_place(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APPRAISAL_DESK_HOME")
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    home = Path.home()
    data, config = user_dirs.data_dir(), user_dirs.config_dir()
    assert data.name == config.name == "appraisal-desk"
    if sys.platform.startswith("linux"):
        # Where the model library always was on Linux, so an upgrade finds it.
        assert data == home / ".local" / "share" / "appraisal-desk"
        assert config == home / ".config" / "appraisal-desk"
    elif sys.platform == "darwin":
        assert data == home / "Library" / "Application Support" / "appraisal-desk"
        assert user_dirs.log_dir() == home / "Library" / "Logs" / "appraisal-desk"
    elif sys.platform == "win32":
        assert "AppData" in data.parts and data.name == "appraisal-desk"


def test_settings_are_an_ini_file_in_the_settings_folder(qapp, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("APPRAISAL_DESK_HOME", str(tmp_path))
    UiSettings().set_last_folder(tmp_path / "work")
    assert (tmp_path / "config" / SETTINGS_FILE).is_file()
    assert UiSettings().last_folder() == tmp_path / "work"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's native store is the registry or a plist")
def test_the_first_start_keeps_what_earlier_versions_kept_in_qt_native_settings(
    qapp, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.delenv("APPRAISAL_DESK_HOME")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    qapp.setOrganizationName("AppraisalDesk")
    qapp.setApplicationName("Appraisal Desk")
    native = QSettings()
    native.setValue("files/last_folder", "/srv/appraisals")
    native.sync()

    store = default_store()

    assert Path(store.fileName()) == tmp_path / "appraisal-desk" / SETTINGS_FILE
    assert UiSettings(store).last_folder() == Path("/srv/appraisals")


def test_an_unexpected_error_is_written_to_the_log_with_its_traceback(qapp, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    before = list(ui_app.log.handlers)
    path = ui_app.start_error_log(tmp_path / "logs")
    try:
        try:
            raise RuntimeError("a page asked for row 12 of 3")
        except Exception as exc:
            show_error(None, exc).close()
        for handler in ui_app.log.handlers:
            handler.flush()
        text = path.read_text(encoding="utf-8")
    finally:
        for handler in ui_app.log.handlers[len(before) :]:
            handler.close()
            ui_app.log.removeHandler(handler)
    assert "unexpected error shown to the user" in text
    assert "Traceback" in text and "RuntimeError: a page asked for row 12 of 3" in text


def test_a_refusal_the_user_can_act_on_is_not_logged(qapp, tmp_path: Path, monkeypatch) -> None:
    from app.services.errors import DiskFullError

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    before = list(ui_app.log.handlers)
    path = ui_app.start_error_log(tmp_path / "logs")
    try:
        show_error(None, DiskFullError("The disk is full.")).close()
    finally:
        for handler in ui_app.log.handlers[len(before) :]:
            handler.close()
            ui_app.log.removeHandler(handler)
    assert not path.exists()
    assert logging.getLogger("app.ui").parent is ui_app.log
