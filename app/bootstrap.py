"""Composition root: builds the services and the window and wires them together. No singletons."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from app.services import catalogs, demo
from app.services.appraisals import current_user
from app.services.workspace import Workspace
from app.ui.backups.reliability_actions import install_reliability_actions
from app.ui.outputs.output_actions import install_output_actions
from app.ui.outputs.report_actions import install_report_actions
from app.ui.packages.package_actions import install_package_actions
from app.ui.shell.main_window import MainWindow
from app.ui.shell.page_list import page_factories
from app.ui.shell.settings import UiSettings


def _import_model(path: Path) -> str:
    model = catalogs.import_model(path)
    return f"Imported {model.name} ({model.key} {model.version}) into your model library."


def build_main_window(settings: UiSettings | None = None) -> MainWindow:
    settings = settings or UiSettings()
    user = settings.user_name() or current_user()

    def make_demo(path: Path) -> Workspace:
        return demo.create_demo(path, catalogs.installed_catalog(), who=user)

    window = MainWindow(
        settings=settings,
        catalog_provider=catalogs.installed_catalog,
        page_factories=page_factories(
            library=catalogs.installed_catalog,
            importer=_import_model,
            # The file dialog asks before replacing an existing file; an appraisal is refused regardless.
            template_writer=partial(catalogs.write_template, overwrite=True),
        ),
        user_name=user,
        demo_factory=make_demo,
    )
    install_output_actions(window)
    install_package_actions(window)
    install_report_actions(window)
    install_reliability_actions(window)
    return window
