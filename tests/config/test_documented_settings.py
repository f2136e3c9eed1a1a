"""Every environment variable the settings read is in the README's configuration table."""

import re
from pathlib import Path

import openveiligheid.config.settings as settings_module

README = Path(__file__).resolve().parents[2] / "README.md"
SETTINGS = Path(settings_module.__file__)


def _documented() -> set[str]:
    section = README.read_text().split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return {
        name
        for row in re.findall(r"^\| (.+?) \|", section, re.MULTILINE)
        for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row)
    }


def _read_by_settings() -> set[str]:
    return set(
        re.findall(
            r'(?:os\.environ\.get|env_bool|env_list)\(\s*"([A-Z][A-Z0-9_]+)"', SETTINGS.read_text()
        )
    )


def test_every_setting_is_documented():
    names = _read_by_settings()
    assert {"OPENVEILIGHEID_PUBLIC_SUPPRESS_BELOW", "API_THROTTLE_PUBLIC"} <= names
    missing = names - _documented()
    assert not missing, sorted(missing)
