"""Smoke test of the Lasso benchmark suite, so that it never rots.

Runs ``python benchmarks/bench_lasso.py --quick`` in a subprocess (into a
temporary output directory, leaving the committed results alone) and checks
that it wrote its table, plot and raw numbers, with every solver either
timed, reported as not reaching the target, or explained. No timing is
asserted: speed is claimed from the benchmark's output, not from tests.

The test restricts the solvers to skreg and scikit-learn, so that its run
time does not depend on whether the optional competitors are installed
(skglm alone spends seconds of JIT compilation in every new process).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "bench_lasso.py"
SOLVERS = "skreg-cd,skreg-prox,sklearn"
PROBLEMS = "dense_a10,tall_a10,sparse_a10,path,path_fn,dense_w,enet_sparse_w"


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    env = dict(os.environ, MPLBACKEND="Agg")
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    )
    cmd = [
        sys.executable, str(SCRIPT), "--quick", "--output-dir", str(out),
        "--solvers", SOLVERS, "--problems", PROBLEMS,
    ]
    proc = subprocess.run(
        cmd, capture_output=True, text=True, env=env, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, proc


def test_quick_writes_table_plot_and_json(quick_run):
    out, proc = quick_run
    table = (out / "lasso_quick.md").read_text(encoding="utf-8")
    assert "| problem | solver | time | vs sklearn | passes |" in table
    assert "## First fit in a new process (compilation)" in table
    assert "## Peak memory of one fit" in table
    assert table.strip() in proc.stdout
    png = (out / "lasso_quick.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    report = json.loads((out / "lasso_quick.json").read_text(encoding="utf-8"))
    assert [p["key"] for p in report["problems"]] == PROBLEMS.split(",")


def test_quick_every_solver_accounted_for(quick_run):
    out, _ = quick_run
    report = json.loads((out / "lasso_quick.json").read_text(encoding="utf-8"))
    for prob in report["problems"]:
        assert "error" not in prob, prob.get("error")
        # the reference optimum is certified by its own duality gap
        assert prob["ref_rel_gap"] < 1e-8, (prob["key"], prob["ref_rel_gap"])
        assert set(prob["solvers"]) == set(SOLVERS.split(","))
        sk = prob["solvers"]["sklearn"]
        # scikit-learn reaches 1e-6 on these small problems: the method works
        assert sk["reached"], (prob["key"], sk)
        assert sk["subopt"] <= 1e-6
        for name, entry in prob["solvers"].items():
            assert entry["status"] in ("ok", "cap", "budget", "n/a"), (name, entry)
            if entry.get("reached"):
                assert entry["time"] > 0 and entry["passes"] > 0
                assert entry["subopt"] <= 1e-6


def test_quick_script_rejects_unknown_problem():
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--problems", "nope"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert proc.returncode == 2
    assert "unknown problems ['nope']" in proc.stderr
