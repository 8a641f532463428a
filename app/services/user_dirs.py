"""Where the user's own files live (model library, settings, logs), for the window and the CLI.

The UI reaches storage only through the services (docs/architecture.md), so this re-exports the places.
"""

from __future__ import annotations

from app.storage.user_dirs import HOME_ENV, config_dir, data_dir, log_dir

__all__ = ["HOME_ENV", "config_dir", "data_dir", "log_dir"]
