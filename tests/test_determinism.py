"""Same ``random_state`` -> bit-identical fitted models, across runs and across
processes, for every public estimator that has a ``random_state``."""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from _hostile_helpers import ESTIMATORS
from sklearn.base import clone, is_classifier

pytestmark = pytest.mark.filterwarnings(
    "ignore::sklearn.exceptions.ConvergenceWarning"
)

RANDOM = sorted(n for n, c in ESTIMATORS.items() if "random_state" in c().get_params())


def make(name, random_state):
    """The estimator with every source of randomness switched on."""
    est = ESTIMATORS[name]()
    keys = est.get_params()
    params = {
        "random_state": random_state,
        "selection": "random",  # coordinate sampler (linear models)
        "tol": 1e-8,
        "max_iter": 30,
        "alphas": 4,
        "cv": 3,
        "hidden_layer_sizes": (6,),  # MLPs: init, shuffling, validation split
        "shuffle": True,
        "early_stopping": True,
        "batch_size": 16,
    }
    return est.set_params(**{k: v for k, v in params.items() if k in keys})


def data(name):
    rng = np.random.RandomState(42)
    X = rng.randn(80, 6)
    y = X @ rng.randn(6) + 0.3 * rng.randn(80)
    if is_classifier(ESTIMATORS[name]()):
        y = np.digitize(y, np.quantile(y, [1 / 3, 2 / 3]))
    return X, y


def fingerprint(est):
    """Every fitted array/number of the estimator, as exact hex bytes."""
    out = {}
    for k, v in sorted(vars(est).items()):
        if not k.endswith("_") or k.startswith("_"):
            continue
        vals = v if isinstance(v, list) else [v]
        parts = []
        for a in vals:
            if isinstance(a, (np.ndarray, float, int, np.floating, np.integer)):
                parts.append(np.asarray(a).tobytes().hex())
        if parts:
            out[k] = parts
    return out


@pytest.mark.parametrize("name", RANDOM)
def test_same_seed_same_bits_in_process(name):
    X, y = data(name)
    a = fingerprint(make(name, 7).fit(X, y))
    b = fingerprint(make(name, 7).fit(X, y))
    assert a and a == b
    # a RandomState instance seeded alike is consumed alike
    c = fingerprint(make(name, np.random.RandomState(7)).fit(X, y))
    d = fingerprint(make(name, np.random.RandomState(7)).fit(X, y))
    assert c == d
    # clone() of an estimator with an int seed refits identically
    assert fingerprint(clone(make(name, 7)).fit(X, y)) == a


@pytest.mark.parametrize("name", [n for n in RANDOM if "MLP" in n])
def test_seed_matters(name):
    """The fingerprints are able to tell two seeds apart (not vacuous)."""
    X, y = data(name)
    assert fingerprint(make(name, 1).fit(X, y)) != fingerprint(make(name, 2).fit(X, y))


def test_same_seed_same_bits_across_processes(tmp_path):
    here = os.path.dirname(os.path.abspath(__file__))
    script = textwrap.dedent(f"""
        import json, sys, warnings
        sys.path.insert(0, {here!r})
        warnings.simplefilter("ignore")
        from test_determinism import RANDOM, data, fingerprint, make
        out = {{}}
        for name in RANDOM:
            X, y = data(name)
            out[name] = fingerprint(make(name, 7).fit(X, y))
        print(json.dumps(out))
    """)
    env = dict(os.environ, PYTHONHASHSEED="12345")
    runs = []
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", script], capture_output=True,
                              text=True, env=env, timeout=300)
        assert proc.returncode == 0, proc.stderr[-3000:]
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        env["PYTHONHASHSEED"] = "999"
    assert runs[0] == runs[1]
    for name in RANDOM:
        X, y = data(name)
        assert fingerprint(make(name, 7).fit(X, y)) == runs[0][name], name
