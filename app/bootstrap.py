"""Composition root: builds the services and the window and wires them together. No singletons.

What only an action needs (the demo's builder, the model library's YAML reader) is imported when the action
runs: the window opens the lead's file without paying for them at start.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.services.appraisals import current_user
from app.ui.backups.reliability_actions import install_reliability_actions
from app.ui.outputs.output_actions import install_output_actions
from app.ui.outputs.report_actions import install_report_actions
from app.ui.packages.package_actions import install_package_actions
from app.ui.shell.main_window import MainWindow
from app.ui.shell.page_list import page_factories
from app.ui.shell.settings import UiSettings

if TYPE_CHECKING:
    from app.domain.catalog import Catalog
    from app.services.workspace import Workspace


def _installed_catalog() -> Catalog:
    from app.services import catalogs

    return catalogs.installed_catalog()


def _import_model(path: Path) -> str:
    from app.services import catalogs

    model = catalogs.import_model(path)
    return f"Imported {model.name} ({model.key} {model.version}) into your model library."


def _write_template(path: Path) -> None:
    from app.services import catalogs

    # The file dialog asks before replacing an existing file; an appraisal is refused regardless.
    catalogs.write_template(path, overwrite=True)


def build_main_window(settings: UiSettings | None = None) -> MainWindow:
    settings = settings or UiSettings()
    user = settings.user_name() or current_user()

    def make_demo(path: Path) -> Workspace:
        from app.services import catalogs, demo

        return demo.create_demo(path, catalogs.installed_catalog(), who=user)

    window = MainWindow(
        settings=settings,
        catalog_provider=_installed_catalog,
        page_factories=page_factories(
            library=_installed_catalog,
            importer=_import_model,
            template_writer=_write_template,
        ),
        user_name=user,
        demo_factory=make_demo,
    )
    install_output_actions(window)
    install_package_actions(window)
    install_report_actions(window)
    install_reliability_actions(window)
    return window
