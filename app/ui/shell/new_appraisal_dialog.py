"""Creating an appraisal from the window: a name, a file, and a plan file or a starting scope."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.services import security
from app.services.appraisals import SUFFIX
from app.services.errors import KnownError
from app.services.presets import PRESETS
from app.ui.common.form_dialog import lay_out, ok_cancel, problem_line


class NewAppraisalDialog(QDialog):
    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New appraisal")
        self.setMinimumWidth(560)
        self.name = QLineEdit()
        self.name.setObjectName("nameEdit")
        self.name.setPlaceholderText("e.g. Olive Vehicle Insurance – security appraisal 2026")
        self.path = QLineEdit(str(folder / f"appraisal{SUFFIX}"))
        self.path.setObjectName("pathEdit")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse_file)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        self.plan = QLineEdit()
        self.plan.setObjectName("planEdit")
        self.plan.setPlaceholderText("optional: a plan YAML file (docs/plan-format.md)")
        plan_browse = QPushButton("Browse…")
        plan_browse.clicked.connect(self._browse_plan)
        plan_row = QHBoxLayout()
        plan_row.addWidget(self.plan, 1)
        plan_row.addWidget(plan_browse)
        self.preset = QComboBox()
        self.preset.setObjectName("presetCombo")
        for preset in PRESETS:
            self.preset.addItem(preset.label, preset.key)
        self.preset_help = QLabel()
        self.preset_help.setWordWrap(True)
        self.preset.currentIndexChanged.connect(self._preset_changed)
        self._preset_changed()
        self.encrypt = QCheckBox("Encrypt the file with a passphrase")
        self.encrypt.setObjectName("encryptCheck")
        self.encrypt.setEnabled(security.available())
        if not security.available():
            self.encrypt.setToolTip("Encryption needs the optional 'encryption' extra (SQLCipher).")
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("newPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(f"at least {security.MIN_LENGTH} characters; it cannot be recovered")
        self.repeat = QLineEdit()
        self.repeat.setObjectName("repeatPassphrase")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setPlaceholderText("the same passphrase again")
        for field in (self.passphrase, self.repeat):
            field.setEnabled(False)
            self.encrypt.toggled.connect(field.setEnabled)
        self.message = problem_line()

        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("File", path_row)
        form.addRow("Plan file", plan_row)
        form.addRow("Starting scope", self.preset)
        form.addRow("", self.preset_help)
        form.addRow("Encryption", self.encrypt)
        form.addRow("Passphrase", self.passphrase)
        form.addRow("Again", self.repeat)
        lay_out(self, form, self.message, ok_cancel(self, "Create", self._accept))
        self.plan.textChanged.connect(lambda text: self.preset.setEnabled(not text.strip()))

    def _preset_changed(self) -> None:
        key = self.preset.currentData()
        self.preset_help.setText(next(p.description for p in PRESETS if p.key == key))

    def _browse_file(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, "New appraisal file", self.path.text(), f"Appraisal (*{SUFFIX})")
        if chosen:
            self.path.setText(chosen if chosen.endswith(SUFFIX) else chosen + SUFFIX)

    def _browse_plan(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Plan file", str(Path.home()), "Plan (*.yaml *.yml)")
        if chosen:
            self.plan.setText(chosen)

    def _accept(self) -> None:
        path = Path(self.path.text().strip()).expanduser()
        if not self.plan.text().strip() and not self.name.text().strip():
            self.message.setText("Give the appraisal a name (or choose a plan file that names it).")
            return
        if not self.path.text().strip():
            self.message.setText("Choose where to save the appraisal file.")
            return
        if path.exists():
            self.message.setText(f"{path.name} already exists; choose another name.")
            return
        if not path.parent.is_dir():
            self.message.setText(f"The folder {path.parent} does not exist.")
            return
        if self.encrypt.isChecked():
            try:
                security.check_new_passphrase(self.passphrase.text(), self.repeat.text())
            except KnownError as exc:
                self.message.setText(str(exc))
                self.passphrase.setFocus()
                return
        self.accept()

    def passphrase_value(self) -> str | None:
        """The new file's passphrase, or None for a file that is not encrypted."""
        return self.passphrase.text() if self.encrypt.isChecked() else None

    def file_path(self) -> Path:
        path = Path(self.path.text().strip()).expanduser()
        return path if path.suffix == SUFFIX else path.with_name(path.name + SUFFIX)

    def plan_path(self) -> Path | None:
        text = self.plan.text().strip()
        return Path(text).expanduser() if text else None

    def preset_key(self) -> str:
        return str(self.preset.currentData())
