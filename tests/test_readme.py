"""The README is the front door: its quick start runs as written, and CI runs
its commands."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(lang):
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def test_quick_start_runs_as_written(tmp_path):
    code = _blocks("python")
    assert code, "README has no python quick start"
    for block in code:
        out = subprocess.run(
            [sys.executable, "-c", block], cwd=tmp_path, capture_output=True,
            text=True, timeout=600,
        )
        assert out.returncode == 0, out.stderr
        assert "non-zeros: [0 1 2 3 4]" in out.stdout


def test_ci_runs_the_readme_commands():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "readme_block test-command" in ci
    for marker in ("<!-- main-command -->", "<!-- test-command -->"):
        after = README.split(marker, 1)[1]
        assert after.lstrip().startswith("```bash"), marker
    test_cmd = README.split("<!-- test-command -->", 1)[1].split("```bash\n")[1]
    assert "pip install" in test_cmd and "pytest" in test_cmd
    main_cmd = README.split("<!-- main-command -->", 1)[1].split("```bash\n")[1]
    assert "python -m skreg wages" in main_cmd.split("```")[0]
