"""Tests of skreg.wage: pipeline, named coefficients, contrasts, analysis, report."""

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import Lasso, LinearRegression, Ridge

from skreg.datasets import load_wages, make_census_wages
from skreg.wage import (
    Contrast,
    WageDataError,
    alpha_max,
    check_wage_data,
    default_contrasts,
    get_estimator_specs,
    level_order,
    make_wage_pipeline,
    run_wage_analysis,
    wage_coefficients,
    wage_contrasts,
    wage_feature_names,
    write_report,
)

NAMES = [
    "age",
    "education_high",
    "education_middle",
    "education_tech",
    "education_university",
    "company_size_large",
    "company_size_middle",
    "company_size_small",
]
CLASSIC = [
    Contrast("education", "university", "middle"),
    Contrast("company_size", "large", "small"),
    Contrast("age"),
]


@pytest.fixture(scope="module")
def young():
    df = load_wages()
    return df[df["age"] < 55].reset_index(drop=True)


def _reference_contrasts(df):
    """The classic contrasts from LinearRegression on a drop-first design."""
    edu = pd.Categorical(
        df["education"], categories=["middle", "high", "tech", "university"]
    )
    size = pd.Categorical(df["company_size"], categories=["small", "middle", "large"])
    design = pd.concat(
        [
            df[["age"]].astype(float),
            pd.get_dummies(edu, prefix="education", drop_first=True, dtype=float),
            pd.get_dummies(size, prefix="company_size", drop_first=True, dtype=float),
        ],
        axis=1,
    )
    design.index = df.index
    ols = LinearRegression().fit(design.to_numpy(), df["salary"].to_numpy())
    coef = pd.Series(ols.coef_, index=design.columns)
    return np.array(
        [coef["education_university"], coef["company_size_large"], coef["age"]]
    )


def test_feature_names_follow_the_lecture(young):
    pipe = make_wage_pipeline().fit(young, young["salary"])
    assert wage_feature_names(pipe) == NAMES
    coef = wage_coefficients(pipe)
    assert list(coef.index) == NAMES and coef.name == "coef"


@pytest.mark.parametrize("scale_numeric", [False, True])
@pytest.mark.parametrize("sparse_output", [False, True])
def test_ols_contrasts_match_linear_regression(young, scale_numeric, sparse_output):
    pipe = make_wage_pipeline(
        LinearRegression(), scale_numeric=scale_numeric, sparse_output=sparse_output
    ).fit(young, young["salary"])
    if sparse_output:
        assert sp.issparse(pipe.named_steps["encode"].transform(young))
    got = wage_contrasts(pipe, CLASSIC).to_numpy()
    np.testing.assert_allclose(got, _reference_contrasts(young), rtol=1e-6)
    # the lecture's answers
    np.testing.assert_allclose(got, [93.93, 46.89, 5.12], atol=0.01)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_contrasts_identified_whatever_the_solver(young):
    """Tiny penalties resolve the collinearity differently, same contrasts."""
    ref = _reference_contrasts(young)
    dummies = {}
    for model in (Ridge(alpha=1e-8), Lasso(alpha=1e-6, max_iter=100_000, tol=1e-12)):
        pipe = make_wage_pipeline(model, scale_numeric=True).fit(young, young["salary"])
        np.testing.assert_allclose(wage_contrasts(pipe, CLASSIC), ref, rtol=1e-4)
        dummies[type(model).__name__] = wage_coefficients(pipe)
    # ... while the individual dummies differ between the solvers
    diff = dummies["Ridge"]["education_middle"] - dummies["Lasso"]["education_middle"]
    assert abs(diff) > 1


def test_named_coefficients_line_up_with_columns():
    """Only mid-size companies pay more: the right names carry the effect."""
    rng = np.random.RandomState(0)
    n = 400
    df = pd.DataFrame(
        {
            "company_size": rng.choice(["small", "middle", "large"], n),
            "salary": 0.0,
            "education": rng.choice(["high", "middle", "tech", "university"], n),
            "age": rng.randint(20, 60, n),
        }
    )
    df["salary"] = 200.0 + 100.0 * (df["company_size"] == "middle")
    ols = make_wage_pipeline().fit(df, df["salary"])
    c = wage_contrasts(
        ols,
        [
            Contrast("company_size", "middle", "small"),
            Contrast("company_size", "large", "small"),
            Contrast("education", "middle", "high"),
            Contrast("education", "university", "high"),
            Contrast("age"),
        ],
    )
    np.testing.assert_allclose(c, [100, 0, 0, 0, 0], atol=1e-8)
    # the sparsest exact solution puts everything on company_size_middle
    lasso = make_wage_pipeline(
        Lasso(alpha=1e-3, max_iter=100_000, tol=1e-10), scale_numeric=True
    ).fit(df, df["salary"])
    coef = wage_coefficients(lasso)
    assert coef.abs().idxmax() == "company_size_middle"
    assert coef["company_size_middle"] == pytest.approx(100, abs=0.5)
    others = coef.drop("company_size_middle")
    assert others.abs().max() < 0.5


def test_named_coefficients_with_categorical_dtypes_and_column_order():
    df = make_census_wages(3000, random_state=0, noise=0.1)
    shuffled = df[["salary", "company_size", "age", "education"]]
    a = make_wage_pipeline().fit(df, df["salary"])
    b = make_wage_pipeline().fit(shuffled, shuffled["salary"])
    pd.testing.assert_series_equal(wage_coefficients(a), wage_coefficients(b))
    assert list(wage_coefficients(a).index) == NAMES


def test_original_units_and_intercept(young):
    raw = make_wage_pipeline().fit(young, young["salary"])
    scaled = make_wage_pipeline(scale_numeric=True).fit(young, young["salary"])
    assert wage_coefficients(scaled)["age"] == pytest.approx(
        wage_coefficients(raw)["age"], rel=1e-8
    )
    model_units = wage_coefficients(scaled, original_units=False)["age"]
    assert model_units == pytest.approx(
        wage_coefficients(raw)["age"] * young["age"].std(ddof=0), rel=1e-8
    )
    # named coefficients + intercept reproduce the predictions
    coef = wage_coefficients(scaled, intercept=True)
    design = pd.get_dummies(young[["education", "company_size"]], dtype=float)
    design.insert(0, "age", young["age"].astype(float))
    manual = design[NAMES].to_numpy() @ coef[NAMES].to_numpy() + coef["intercept"]
    np.testing.assert_allclose(manual, scaled.predict(young), rtol=1e-10)


def test_unknown_level_is_ignored_at_predict(young):
    pipe = make_wage_pipeline().fit(young, young["salary"])
    new = young.iloc[:1].copy()
    new["education"] = "phd"
    coef = wage_coefficients(pipe, intercept=True)
    expected = coef["intercept"] + coef["age"] * 22 + coef["company_size_large"]
    assert pipe.predict(new)[0] == pytest.approx(expected)


def test_average_effects_equal_coefficient_contrasts_for_a_linear_model(young):
    """The MLP's contrasts (average effects) reduce to the OLS ones."""
    wrapped = make_wage_pipeline(
        TransformedTargetRegressor(LinearRegression()), scale_numeric=True
    ).fit(young, young["salary"])
    with pytest.raises(TypeError, match="transformed target"):
        wage_coefficients(wrapped)
    with pytest.raises(TypeError, match="pass X"):
        wage_contrasts(wrapped, CLASSIC)
    got = wage_contrasts(wrapped, CLASSIC, X=young)
    np.testing.assert_allclose(got, _reference_contrasts(young), rtol=1e-8)


def test_contrast_errors(young):
    pipe = make_wage_pipeline().fit(young, young["salary"])
    with pytest.raises(ValueError, match="Level 'phd' of column 'education'"):
        wage_contrasts(pipe, [Contrast("education", "phd", "middle")])
    with pytest.raises(ValueError, match="not a categorical column"):
        wage_contrasts(pipe, [Contrast("salary", "a", "b")])
    with pytest.raises(ValueError, match="both a level and a baseline"):
        Contrast("education", "university")


def test_pipeline_argument_errors():
    with pytest.raises(ValueError, match="both categorical and numeric"):
        make_wage_pipeline(categorical=["age"], numeric=["age"])
    with pytest.raises(ValueError, match="at least one"):
        make_wage_pipeline(categorical=[], numeric=[])


def test_level_order_and_default_contrasts(young):
    assert level_order(young["education"]) == ["middle", "high", "tech", "university"]
    assert level_order(pd.Series(["b", "a", None])) == ["a", "b"]
    cat = pd.Series(pd.Categorical(["y", "x"], categories=["y", "x", "z"]))
    assert level_order(cat) == ["y", "x"]
    labels = [c.label for c in default_contrasts(young, ["company_size"], ["age"])]
    assert labels == [
        "company_size: middle - small",
        "company_size: large - small",
        "age: slope",
    ]


def test_alpha_max_gives_all_zeros(young):
    pipe = make_wage_pipeline(scale_numeric=True)
    Xt = pipe.named_steps["encode"].fit_transform(young)
    amax = alpha_max(Xt, young["salary"])
    at = Lasso(alpha=amax * 1.0001).fit(Xt, young["salary"])
    below = Lasso(alpha=amax * 0.9).fit(Xt, young["salary"])
    assert np.all(at.coef_ == 0) and np.any(below.coef_ != 0)
    assert alpha_max(sp.csr_matrix(Xt), young["salary"]) == pytest.approx(amax)


@pytest.mark.parametrize(
    "frame, kwargs, match",
    [
        (pd.DataFrame({"salary": []}), {}, "has no data rows"),
        (
            pd.DataFrame({"salary": [1.0], "education": ["a"]}),
            {"categorical": ["eduction"]},
            r"categorical column 'eduction' \(did you mean 'education'\?\) not found",
        ),
        (
            pd.DataFrame({"pay": [1.0], "education": ["a"]}),
            {},
            "target column 'salary' not found in the data. Available columns: pay",
        ),
        (
            pd.DataFrame({"salary": ["1", "x"], "education": ["a", "b"]}),
            {},
            r"target column 'salary' is not numeric: 1 value\(s\) such as 'x' "
            r"\(data row 2\)",
        ),
        (
            pd.DataFrame({"salary": ["1,200", "900"], "education": ["a", "b"]}),
            {},
            "thousands separators",
        ),
        (
            pd.DataFrame({"salary": [1.0, 2.0, 3.0], "education": ["a", None, None]}),
            {},
            r"categorical column 'education' has 2 missing values \(data rows 2, 3\)",
        ),
        (
            pd.DataFrame({"salary": [1.0, 2.0], "age": [20, None]}),
            {"categorical": [], "numeric": ["age"]},
            r"numeric column 'age' has 1 missing value \(data row 2\)",
        ),
        (
            pd.DataFrame({"salary": [1.0], "education": ["a"]}),
            {"categorical": ["education", "salary"]},
            "used more than once",
        ),
        (
            pd.DataFrame({"salary": [1.0], "education": ["a"]}),
            {"categorical": [], "numeric": []},
            "No feature columns",
        ),
    ],
)
def test_check_wage_data_messages(frame, kwargs, match):
    kwargs = {"categorical": ["education"], "numeric": [], **kwargs}
    with pytest.raises(WageDataError, match=match):
        check_wage_data(frame, "salary", **kwargs)


def test_analysis_errors(young):
    with pytest.raises(WageDataError, match="Cannot apply the row filter"):
        run_wage_analysis(young, query="agee < 3", estimators=["ols"], path=False)
    with pytest.raises(WageDataError, match="No rows left"):
        run_wage_analysis(young, query="age > 100", estimators=["ols"], path=False)
    with pytest.raises(WageDataError, match="Only 3 rows"):
        run_wage_analysis(young.iloc[:3], estimators=["ols"], path=False)
    with pytest.raises(WageDataError, match="is constant"):
        run_wage_analysis(young.assign(salary=1.0), estimators=["ols"], path=False)
    with pytest.raises(ValueError, match="Unknown estimator"):
        get_estimator_specs(["svm"])


@pytest.fixture(scope="module")
def analysis():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run_wage_analysis(
            load_wages(),
            query="age < 55",
            estimators=["ols", "lasso", "ridge"],
            backend="sklearn",
            n_alphas=6,
        )


def test_analysis_tables(analysis, young):
    assert analysis.data.shape[0] == 84 and analysis.data_all.shape[0] == 120
    assert list(analysis.coefficients.columns) == ["OLS", "Lasso (L1)", "Ridge (L2)"]
    assert list(analysis.coefficients.index) == NAMES
    ols = analysis.contrast_table["OLS"]
    np.testing.assert_allclose(
        ols[
            [
                "education: university - middle",
                "company_size: large - small",
                "age: slope",
            ]
        ],
        _reference_contrasts(young),
        rtol=1e-6,
    )
    scores = analysis.scores
    assert scores.loc["OLS", "chosen"] == "-"
    assert scores.loc["Lasso (L1)", "chosen"].startswith("alpha=")
    assert ((scores["cv_r2"] > 0.5) & (scores["cv_r2"] <= 1)).all()
    assert (scores["cv_rmse"] > 0).all()


def test_l1_picks_a_reference_dummy_l2_spreads(analysis):
    """Lasso zeroes one dummy of the 3-level column; ridge centres the groups."""
    coef = analysis.coefficients
    size = [n for n in NAMES if n.startswith("company_size_")]
    edu = [n for n in NAMES if n.startswith("education_")]
    assert (coef.loc[size, "Lasso (L1)"].abs() < 1e-8).sum() >= 1
    for group in (size, edu):
        assert abs(coef.loc[group, "Ridge (L2)"].sum()) < 1e-6
        assert (coef.loc[group, "Ridge (L2)"].abs() > 1e-3).all()
        assert abs(coef.loc[group, "OLS"].sum()) < 1e-6  # minimum norm


def test_path_starts_at_zero_and_reaches_ols(analysis, young):
    path = analysis.path
    coefs = path["coefs"]
    assert list(coefs.index) == NAMES
    assert np.all(coefs.iloc[:, 0] == 0)  # alpha_max
    alphas = np.asarray(path["alphas"])
    assert np.all(np.diff(alphas) < 0)
    last = coefs.iloc[:, -1]
    contrast = last["education_university"] - last["education_middle"]
    assert contrast == pytest.approx(_reference_contrasts(young)[0], rel=0.01)


def test_summary_text(analysis):
    text = analysis.summary()
    for needle in (
        "Wage regression: salary ~ age + education + company_size",
        "84 of 120 rows (age < 55)",
        "厚生労働省",
        "Identified contrasts",
        "education: university - middle",
        "Answer (OLS): a university graduate earns 93.9 thousand yen",
        "L1 sets a reference dummy to zero",
    ):
        assert needle in text


def test_figures(analysis):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = analysis.plot_fit()
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 3
    ax = fig.axes[0]
    # four education levels: four fitted lines, drawn through the predictions
    assert len(ax.lines) == 4
    x, yfit = ax.lines[3].get_data()
    frame = pd.DataFrame({"education": "university", "company_size": "large", "age": x})
    np.testing.assert_allclose(
        yfit, analysis.results["ols"].pipeline.predict(frame), rtol=1e-10
    )
    fig2 = analysis.plot_coefficients()
    assert len(fig2.axes) == 2
    fig3 = analysis.plot_path()
    assert len(fig3.axes[0].lines) >= 8
    plt.close("all")


def test_write_report(analysis, tmp_path):
    paths = write_report(analysis, tmp_path / "rep")
    for name in (
        "report.html",
        "report.md",
        "summary.txt",
        "coefficients.csv",
        "contrasts.csv",
        "scores.csv",
        "wage_fit.png",
        "coefficients.png",
        "regularization_path.png",
    ):
        assert (tmp_path / "rep" / name).stat().st_size > 0, name
        assert name in paths
    html = (tmp_path / "rep" / "report.html").read_text(encoding="utf-8")
    assert html.count('src="data:image/png;base64,') == 3  # self-contained
    md = (tmp_path / "rep" / "report.md").read_text(encoding="utf-8")
    assert "![L1 regularization path](regularization_path.png)" in md
    coef = pd.read_csv(tmp_path / "rep" / "coefficients.csv", index_col=0)
    pd.testing.assert_frame_equal(coef, analysis.coefficients, check_names=False)


def test_large_data_subsample_for_costly_models():
    """A spec with max_samples (the MLP's) is tuned on a subsample, and says so."""
    import dataclasses

    df = make_census_wages(3000, random_state=0)
    (mlp,) = get_estimator_specs(["mlp"], backend="sklearn")
    assert mlp.max_samples == 20_000
    (ols,) = get_estimator_specs(["ols"])
    spec = dataclasses.replace(
        ols,
        key="wrapped",
        label="Wrapped",
        build=lambda: TransformedTargetRegressor(LinearRegression()),
        max_samples=1000,
    )
    res = run_wage_analysis(df, estimators=[spec], path=False, cv=3, sparse=True)
    r = res.results["wrapped"]
    assert r.n_train == 1000 and r.coefficients is None
    assert "random subsample of 1,000 of the 3,000 rows" in res.summary()
    # average effect of a university degree is positive and sizeable
    assert r.contrasts["education: university - middle"] > 50


def test_a_failing_estimator_does_not_sink_the_analysis(young):
    import dataclasses

    class Broken(LinearRegression):
        def fit(self, X, y, sample_weight=None):
            raise RuntimeError("kaboom")

    (ols,) = get_estimator_specs(["ols"])
    broken = dataclasses.replace(ols, key="broken", label="Broken", build=Broken)
    res = run_wage_analysis(young, estimators=["ols", broken], path=False)
    assert list(res.results) == ["ols"]
    assert "kaboom" in res.failures["broken"]
    assert "FAILED broken" in res.summary()


def test_report_without_matplotlib(analysis, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    paths = write_report(analysis, tmp_path)
    assert "wage_fit.png" not in paths and "report.html" in paths
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "matplotlib is not installed" in md
