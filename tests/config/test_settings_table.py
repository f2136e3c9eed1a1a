"""Every environment variable the settings read is documented in the README's table."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "src/openveiligheid/config/settings.py"


def test_every_setting_from_the_environment_is_in_the_readme_table():
    read = set(
        re.findall(
            r'(?:os\.environ\.get|env_bool|env_list)\(\s*"([A-Z0-9_]+)"', SETTINGS.read_text()
        )
    )
    assert {"OIDC_RP_CLIENT_ID", "DATABASE_CONN_HEALTH_CHECKS"} <= read
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Configuration (environment variables)", 1)[1].split("\n## ", 1)[0]
    documented = set()
    for line in table.splitlines():
        if line.startswith("| `"):
            documented |= set(re.findall(r"`([A-Z0-9_]+)`", line.split("|")[1]))
    assert sorted(read - documented) == []
