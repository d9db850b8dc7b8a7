"""Where Postwijs keeps its files, per operating system (platformdirs).

- the user's data (database, practice timeline): user_data_dir, or --data-dir;
- the site configuration deployed by IT: site_config_dir/site.toml (system-wide);
- a user-level configuration: user_config_dir/site.toml.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

from app import APP_AUTHOR, APP_NAME

SITE_FILE_NAME = "site.toml"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def system_site_file() -> Path:
    return Path(platformdirs.site_config_dir(APP_NAME, APP_AUTHOR)) / SITE_FILE_NAME


def user_site_file() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)) / SITE_FILE_NAME
