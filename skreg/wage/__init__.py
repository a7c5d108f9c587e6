"""Wage regression on census-style data: pipeline, contrasts, analysis, report.

The main job of skreg, also available as ``python -m skreg wages``::

    from skreg.datasets import load_wages
    from skreg.wage import run_wage_analysis, write_report

    res = run_wage_analysis(load_wages(), query="age < 55")
    print(res.summary())
    write_report(res, "skreg_wages_report")
"""

from skreg.wage._analysis import (
    EstimatorResult,
    WageAnalysis,
    WageDataError,
    check_wage_data,
    run_wage_analysis,
)
from skreg.wage._contrasts import (
    Contrast,
    default_contrasts,
    level_order,
    wage_contrasts,
)
from skreg.wage._estimators import (
    ESTIMATOR_KEYS,
    EstimatorSpec,
    alpha_max,
    get_estimator_specs,
)
from skreg.wage._pipeline import (
    make_wage_pipeline,
    wage_coefficients,
    wage_feature_names,
)
from skreg.wage._report import format_summary, write_report

__all__ = [
    "ESTIMATOR_KEYS",
    "Contrast",
    "EstimatorResult",
    "EstimatorSpec",
    "WageAnalysis",
    "WageDataError",
    "alpha_max",
    "check_wage_data",
    "default_contrasts",
    "format_summary",
    "get_estimator_specs",
    "level_order",
    "make_wage_pipeline",
    "run_wage_analysis",
    "wage_coefficients",
    "wage_contrasts",
    "wage_feature_names",
    "write_report",
]
