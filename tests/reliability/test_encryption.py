"""Encryption at rest: create and open with a passphrase, change it; a wrong one gets a clear message; without
it the file is unreadable, even to plain sqlite3."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.domain.catalog import Catalog
from app.services import appraisals, characterize, security
from app.services.characterize import CellKey, CellState
from app.storage import appraisal_file, encryption
from app.storage.errors import (
    CorruptFileError,
    KnownError,
    NotAnAppraisalError,
    PassphraseNeededError,
    WrongPassphraseError,
)
from tests.reliability.support import PASSPHRASE, PLAN, digest, needs_sqlcipher

CELL = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Claims")
pytestmark = needs_sqlcipher


@pytest.fixture
def secret(tmp_path: Path, catalog: Catalog) -> Path:
    path = tmp_path / "secret.appraisal"
    ws = appraisals.create_appraisal(path, PLAN, catalog, who="tester", passphrase=PASSPHRASE)
    try:
        characterize.set_cell(ws, CELL, CellState("LI", notes="Confidential interview note"))
    finally:
        ws.close()
    return path


def test_the_file_is_unreadable_without_the_passphrase(secret: Path) -> None:
    data = secret.read_bytes()
    assert not data.startswith(b"SQLite format 3")
    assert b"Confidential interview note" not in data and b"Reliability test" not in data
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        sqlite3.connect(secret).execute("SELECT name FROM appraisal").fetchall()
    assert security.file_is_encrypted(secret)


def test_it_opens_with_its_passphrase_only(secret: Path) -> None:
    before = digest(secret)
    with pytest.raises(PassphraseNeededError, match="is encrypted"):
        appraisals.open_appraisal(secret)
    with pytest.raises(WrongPassphraseError, match=r"passphrase does not unlock secret\.appraisal"):
        appraisals.open_appraisal(secret, passphrase="not the passphrase")
    assert digest(secret) == before
    assert sorted(p.name for p in secret.parent.iterdir()) == ["secret.appraisal"]
    ws = appraisals.open_appraisal(secret, passphrase=PASSPHRASE)
    try:
        assert characterize.get_cell(ws, CELL).notes == "Confidential interview note"
        assert appraisals.appraisal_info(ws).name == "Reliability test"
    finally:
        ws.close()


def test_check_and_save_a_copy_keep_it_encrypted(secret: Path, tmp_path: Path) -> None:
    assert appraisals.check_file(secret, passphrase=PASSPHRASE).problems == []
    with pytest.raises(PassphraseNeededError):
        appraisals.check_file(secret)
    ws = appraisals.open_appraisal(secret, passphrase=PASSPHRASE)
    try:
        appraisal_file.save_as(ws.store, tmp_path / "copy.appraisal")
    finally:
        ws.close()
    assert security.file_is_encrypted(tmp_path / "copy.appraisal")
    assert appraisals.check_file(tmp_path / "copy.appraisal", passphrase=PASSPHRASE).problems == []


def test_a_tampered_page_is_damage_not_a_wrong_passphrase(secret: Path) -> None:
    data = bytearray(secret.read_bytes())
    data[4096 * 5 + 200] ^= 0xFF
    secret.write_bytes(bytes(data))
    # Every page carries an HMAC: one flipped bit is caught, and the right passphrase is not blamed for it.
    with pytest.raises(CorruptFileError, match="damaged"):
        appraisals.check_file(secret, passphrase=PASSPHRASE)
    with pytest.raises(CorruptFileError, match="damaged"):
        appraisals.open_appraisal(secret, passphrase=PASSPHRASE)


def test_changing_the_passphrase(secret: Path) -> None:
    ws = appraisals.open_appraisal(secret, passphrase=PASSPHRASE)
    try:
        with pytest.raises(WrongPassphraseError, match="not the current passphrase"):
            security.change_passphrase(ws, "a wrong guess", "a brand new passphrase")
        with pytest.raises(KnownError, match="at least 8 characters"):
            security.change_passphrase(ws, PASSPHRASE, "short")
        with pytest.raises(KnownError, match="differ"):
            security.change_passphrase(ws, PASSPHRASE, "a brand new passphrase", "a brand new passphrasE")
        security.change_passphrase(ws, PASSPHRASE, "a brand new passphrase", "a brand new passphrase")
        # The open appraisal goes on working under the new passphrase.
        characterize.set_cell(ws, CELL, CellState("FI", notes="after the change"))
        assert characterize.get_cell(ws, CELL).value == "FI"
    finally:
        ws.close()
    with pytest.raises(WrongPassphraseError):
        appraisals.open_appraisal(secret, passphrase=PASSPHRASE)
    ws = appraisals.open_appraisal(secret, passphrase="a brand new passphrase")
    try:
        assert characterize.get_cell(ws, CELL).notes == "after the change"
    finally:
        ws.close()
    assert appraisals.check_file(secret, passphrase="a brand new passphrase").problems == []


def test_a_plain_file_has_no_passphrase_to_change(tmp_path: Path, catalog: Catalog) -> None:
    ws = appraisals.create_appraisal(tmp_path / "plain.appraisal", PLAN, catalog)
    try:
        assert not ws.store.encrypted
        with pytest.raises(KnownError, match="not encrypted"):
            security.change_passphrase(ws, "anything at all", "a brand new passphrase")
    finally:
        ws.close()
    # A passphrase given for a plain file is not needed and does no harm.
    appraisals.open_appraisal(tmp_path / "plain.appraisal", passphrase="unused passphrase").close()


def test_random_bytes_are_not_mistaken_for_a_text_file_nor_text_for_an_encrypted_file(tmp_path: Path) -> None:
    text = tmp_path / "notes.appraisal"
    text.write_text("hello\n" * 2000)
    with pytest.raises(NotAnAppraisalError):
        appraisals.open_appraisal(text, passphrase=PASSPHRASE)
    noise = tmp_path / "noise.appraisal"
    noise.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(WrongPassphraseError):
        appraisals.open_appraisal(noise, passphrase=PASSPHRASE)


def test_the_passphrase_source_answers_when_none_is_given(secret: Path) -> None:
    asked: list[str] = []

    def source(path: Path) -> str:
        asked.append(path.name)
        return PASSPHRASE

    encryption.set_passphrase_source(source)
    appraisals.open_appraisal(secret).close()
    assert appraisals.check_file(secret).problems == []
    assert asked and set(asked) == {"secret.appraisal"}
