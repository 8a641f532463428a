"""Pictures of the Word report, the briefing and the disclosure statement as LibreOffice renders them, and of the
export dialog: `uv run python tools/report_screenshots.py [DIR]` (default docs/screenshots).

Makes the demo appraisal ready (judgments made, findings validated), exports each output, converts it with
LibreOffice and keeps a few pages as PNG. Needs LibreOffice and poppler-utils (see .ci/run).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = {
    "report-sponsor.docx": {1: "report-cover", 3: "report-capability-profile", 6: "report-findings"},
    "briefing.pptx": {3: "briefing-capability-chart", 4: "briefing-process-area"},
    "record/disclosure-statement.docx": {1: "disclosure-statement"},
}


def main(out: Path) -> int:
    from app.domain.report import Edition
    from app.services import report_exports
    from tests.office import missing_tools, page_png, to_pdf
    from tests.unit.services.ready_demo import make_ready_demo

    reason = missing_tools()
    if reason:
        print(reason, file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["APPRAISAL_DESK_HOME"] = tmp
        folder = Path(tmp)
        ws = make_ready_demo(folder / "demo.appraisal")
        try:
            report_exports.export_docx(ws, folder / "report-sponsor.docx", Edition.SPONSOR)
            report_exports.export_pptx(ws, folder / "briefing.pptx", Edition.TEAM)
            report_exports.export_record(ws, folder / "record")
        finally:
            ws.close()
        for name, pages in PAGES.items():
            pdf = to_pdf(folder / name, folder)
            for page, stem in pages.items():
                page_png(pdf, page, out / f"{stem}.png", dpi=70)
                print(f"wrote {out / stem}.png")
    _dialog(out)
    return 0


def _dialog(out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from app.ui.outputs.report_export_dialog import ReportExportDialog

    app = QApplication.instance() or QApplication([])
    dialog = ReportExportDialog("docx", Path.home() / "OVIG - team.docx")
    dialog.show()
    app.processEvents()
    dialog.adjustSize()
    app.processEvents()
    dialog.grab().save(str(out / "export-report-dialog.png"))
    print(f"wrote {out / 'export-report-dialog.png'}")


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"))
