"""Pin every dependency (site and tests) to the exact versions that resolve today, in requirements.lock.

Run `make lock` after changing the dependencies in pyproject.toml, then run the tests and commit both.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = """\
# The exact versions the site is built and tested with. Made by `make lock` (scripts/lock.py)
# from the dependencies in pyproject.toml; `make site` and `make test` install from this file.
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        venv.create(folder, with_pip=True)
        python = str(Path(folder) / "bin" / "python")
        subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", f"{ROOT}[test,dev]"],
                       check=True)
        frozen = subprocess.run([python, "-m", "pip", "freeze", "--exclude", "factsite"], check=True,
                                capture_output=True, text=True).stdout
    pins = sorted((line for line in frozen.splitlines() if line and not line.startswith("#")), key=str.casefold)
    (ROOT / "requirements.lock").write_text(HEADER + "\n".join(pins) + "\n", encoding="utf-8")
    print(f"requirements.lock: {len(pins)} packages pinned", file=sys.stderr)


if __name__ == "__main__":
    main()
