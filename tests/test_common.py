"""scikit-learn's common estimator checks over every public skreg estimator.

Estimators are discovered from ``skreg.__all__``; the MLP estimators have
their own parametrization with extra configurations in ``test_mlp.py``.
"""

import inspect

import pytest
from sklearn.base import BaseEstimator
from sklearn.utils.estimator_checks import parametrize_with_checks

import skreg


def _public_estimators():
    out = []
    for name in skreg.__all__:
        try:
            obj = getattr(skreg, name)
        except (ImportError, AttributeError):  # pragma: no cover - partial install
            continue
        if inspect.isclass(obj) and issubclass(obj, BaseEstimator):
            out.append(obj)
    return out


ESTIMATORS = _public_estimators()


def _instances():
    for cls in ESTIMATORS:
        yield cls()


def test_discovery_finds_the_linear_models():
    names = {c.__name__ for c in ESTIMATORS}
    assert {"ElasticNetCD", "ProxLasso", "RidgeGD"} <= names


@parametrize_with_checks(
    list(_instances()), expected_failed_checks=lambda est: {}, xfail_strict=True
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_every_public_parameter_has_a_constraint(cls):
    params = set(inspect.signature(cls.__init__).parameters) - {"self"}
    assert params == set(cls._parameter_constraints)


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_docstring_has_numpydoc_sections(cls):
    doc = inspect.getdoc(cls)
    for section in ("Parameters", "Attributes", "Examples"):
        assert f"{section}\n--" in doc, f"{cls.__name__} lacks {section}"
