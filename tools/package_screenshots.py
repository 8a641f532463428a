"""Screenshots of the mini-team routine on the demo, offscreen: `uv run python tools/package_screenshots.py [DIR]`.

Writes DIR/mini-team-split.png (File › Mini-team package…), mini-team-package.png (a package open, with its
banner), mini-team-review.png (the review panel with a conflict) and mini-team-merged.png (the grid after the
merge); docs/mini-teams.md shows them.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(out: Path) -> int:
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication

    app = QApplication([])

    def wait(done: Callable[[], bool], seconds: float = 180) -> None:
        deadline = time.monotonic() + seconds
        while not done() and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        for _ in range(30):
            app.processEvents()

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["APPRAISAL_DESK_HOME"] = tmp
        from app.bootstrap import build_main_window
        from app.services.characterize import CellKey
        from app.ui.characterize.characterize_page import CharacterizePage
        from app.ui.packages.merge_review_dialog import MergeReviewDialog
        from app.ui.packages.package_actions import PackageActions
        from app.ui.packages.split_package_dialog import SplitChoice, SplitPackageDialog
        from app.ui.shell.settings import UiSettings

        out.mkdir(parents=True, exist_ok=True)
        settings = UiSettings(QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat))
        settings.set_last_folder(Path(tmp))
        window = build_main_window(settings)
        window.resize(1366, 768)
        window.show()
        actions = window.findChild(PackageActions)
        assert actions is not None
        window.open_demo()
        wait(lambda: window.document is not None)
        assert window.document is not None and window.document.workspace.path is not None
        lead_path = window.document.workspace.path
        page = window.page(CharacterizePage)
        assert isinstance(page, CharacterizePage)
        window.nav.setCurrentRow(window.page_list.index(page))
        wait(lambda: page.model.rowCount() > 0, 60)

        from app.services import packages

        dialog = SplitPackageDialog(packages.mini_team_names(window.document.workspace), Path(tmp), "OVIG", window)
        dialog.team.setCurrentText("Security")
        dialog.show()
        wait(lambda: False, 0.5)
        dialog.grab().save(str(out / "mini-team-split.png"))
        package_path = Path(tmp) / "OVIG - Security.appraisal"
        dialog.close()
        done: list[object] = []
        actions.split_done.connect(done.append)
        actions.start_split(SplitChoice("Security", package_path, None))
        wait(lambda: bool(done))

        both = CellKey("SM", "SM", "ESG1", "ESP1.1", "Quotes")
        only = CellKey("SM", "SM", "ESG1", "ESP1.2", "Quotes")

        def type_value(key: CellKey, letter: str) -> None:
            page.select_cell(key)
            from PySide6.QtTest import QTest

            QTest.keyClicks(page.view, letter)
            wait(lambda: False, 0.5)

        window.open_path(package_path)
        wait(lambda: window.document is not None and window.document.workspace.path == package_path.resolve())
        wait(lambda: page.model.rowCount() > 0, 60)
        type_value(both, "p")
        type_value(only, "n")
        window.grab().save(str(out / "mini-team-package.png"))

        window.open_path(lead_path)
        wait(lambda: window.document is not None and window.document.workspace.path == lead_path)
        wait(lambda: page.model.rowCount() > 0, 60)
        type_value(both, "l")
        shown: list[MergeReviewDialog] = []
        actions.review_shown.connect(shown.append)
        actions.start_preview(package_path)
        wait(lambda: bool(shown))
        review = shown[0]
        review.grab().save(str(out / "mini-team-review.png"))
        from PySide6.QtTest import QTest

        merged: list[object] = []
        actions.merged.connect(merged.append)
        QTest.keyClick(review.tree, Qt.Key.Key_P)
        QTest.keyClick(review.tree, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        wait(lambda: bool(merged))
        page.select_cell(both)
        wait(lambda: False, 1)
        window.grab().save(str(out / "mini-team-merged.png"))
        print(f"saved the mini-team screenshots in {out}")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots")))
