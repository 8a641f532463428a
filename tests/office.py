"""LibreOffice (headless) and poppler for the rendering tests and tools/report_screenshots.py.

Each conversion gets its own LibreOffice profile folder, so parallel runs (other tests, other people) never
fight over the shared profile's lock.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

CONVERT_TIMEOUT = 300


def missing_tools() -> str | None:
    """Why the rendering cannot run here (None when it can)."""
    if shutil.which("soffice") is None:
        return "LibreOffice (soffice) is not installed: .ci/run installs libreoffice-core, -writer and -impress"
    if shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None:
        return "poppler-utils (pdftotext, pdftoppm) is not installed"
    return None


def to_pdf(source: Path, out_dir: Path) -> Path:
    """Convert a .docx or .pptx to PDF with LibreOffice; raises with LibreOffice's words if it fails."""
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        proc = subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out_dir),
                str(source),
            ],
            capture_output=True,
            text=True,
            timeout=CONVERT_TIMEOUT,
        )
    target = out_dir / (source.stem + ".pdf")
    if proc.returncode != 0 or not target.exists():
        raise RuntimeError(f"LibreOffice could not convert {source.name}: {proc.stdout} {proc.stderr}")
    return target


@dataclass(frozen=True)
class Word:
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def pages(pdf: Path) -> list[Page]:
    """Every page with the box of each word on it (pdftotext -bbox)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    root = ElementTree.fromstring(html)
    ns = "{http://www.w3.org/1999/xhtml}"
    found = []
    for page in root.iter(f"{ns}page"):
        words = tuple(
            Word(
                w.text or "",
                float(w.get("xMin", 0)),
                float(w.get("yMin", 0)),
                float(w.get("xMax", 0)),
                float(w.get("yMax", 0)),
            )
            for w in page.iter(f"{ns}word")
        )
        found.append(Page(float(page.get("width", 0)), float(page.get("height", 0)), words))
    return found


def page_png(pdf: Path, page: int, target: Path, dpi: int = 60) -> None:
    """Page `page` (1-based) of `pdf` as a PNG at `target`."""
    stem = target.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(stem)],
        check=True,
    )
