"""The one-hot regression pipeline and its named coefficients."""

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

__all__ = ["make_wage_pipeline", "wage_coefficients", "wage_feature_names"]

#: Default columns of :func:`skreg.datasets.load_wages`.
CATEGORICAL = ("education", "company_size")
NUMERIC = ("age",)


def make_wage_pipeline(
    regressor=None,
    *,
    categorical=CATEGORICAL,
    numeric=NUMERIC,
    scale_numeric=False,
    sparse_output=False,
):
    """Build the wage regression pipeline: one-hot encoding, then a regressor.

    ``Pipeline([("encode", ColumnTransformer(...)), ("model", regressor)])``:
    the numeric columns are passed through (or standardised) and come first,
    then the categorical columns one-hot encoded with every level kept
    (``drop=None``) and unknown levels ignored at predict time (their rows get
    all-zero dummies).

    Parameters
    ----------
    regressor : estimator or None, default=None
        Any scikit-learn compatible regressor (skreg's or scikit-learn's).
        None means :class:`sklearn.linear_model.LinearRegression`.

    categorical : sequence of str, default=("education", "company_size")
        Columns to one-hot encode.

    numeric : sequence of str, default=("age",)
        Numeric columns, kept as they are or standardised.

    scale_numeric : bool, default=False
        Standardise the numeric columns with
        :class:`~sklearn.preprocessing.StandardScaler`. Advisable for
        penalised models and neural networks, so that the penalty treats a
        year of age like a dummy; :func:`wage_coefficients` converts the
        coefficients back to original units.

    sparse_output : bool, default=False
        Produce a sparse design (CSR, numeric columns stored densely inside
        it). Use it for large data: with 10**6 rows the dummies take a few
        megabytes instead of tens.

    Returns
    -------
    pipeline : sklearn.pipeline.Pipeline
        Unfitted, with steps ``encode`` and ``model``.

    See Also
    --------
    wage_coefficients : Named coefficients of the fitted pipeline.
    skreg.wage.wage_contrasts : Identified contrasts between levels.

    Notes
    -----
    With an intercept and all levels of a categorical column kept, the
    dummies of that column sum to one on every row: the design is collinear,
    and each column's dummy coefficients are determined only up to a common
    shift (absorbed by the intercept). Differences of dummy coefficients in
    the same column are identified; see :func:`skreg.wage.wage_contrasts`.

    Examples
    --------
    >>> from skreg.datasets import load_wages
    >>> from skreg.wage import make_wage_pipeline, wage_coefficients
    >>> df = load_wages()
    >>> df = df[df["age"] < 55]
    >>> pipe = make_wage_pipeline().fit(df, df["salary"])
    >>> coef = wage_coefficients(pipe)
    >>> list(coef.index)  # doctest: +NORMALIZE_WHITESPACE
    ['age', 'education_high', 'education_middle', 'education_tech',
     'education_university', 'company_size_large', 'company_size_middle',
     'company_size_small']
    >>> round(float(coef["age"]), 1)
    5.1
    """
    categorical, numeric = list(categorical), list(numeric)
    if not categorical and not numeric:
        raise ValueError("Give at least one categorical or numeric column.")
    overlap = set(categorical) & set(numeric)
    if overlap:
        raise ValueError(
            f"Columns {sorted(overlap)} are listed as both categorical and numeric."
        )
    transformers = []
    if numeric:
        transformers.append(
            ("num", StandardScaler() if scale_numeric else "passthrough", numeric)
        )
    if categorical:
        encoder = OneHotEncoder(
            handle_unknown="ignore",
            drop=None,
            sparse_output=bool(sparse_output),
            dtype=np.float64,
        )
        transformers.append(("cat", encoder, categorical))
    encode = ColumnTransformer(
        transformers,
        remainder="drop",
        sparse_threshold=1.0 if sparse_output else 0.0,
        verbose_feature_names_out=True,
    )
    if regressor is None:
        regressor = LinearRegression()
    return Pipeline([("encode", encode), ("model", regressor)])


def wage_feature_names(pipeline):
    """Names of the design columns without the transformer prefixes.

    ``num__age`` -> ``age``, ``cat__education_high`` -> ``education_high``.

    Parameters
    ----------
    pipeline : Pipeline
        A fitted pipeline from :func:`make_wage_pipeline`.

    Returns
    -------
    names : list of str

    Examples
    --------
    >>> from skreg.datasets import load_wages
    >>> from skreg.wage import make_wage_pipeline, wage_feature_names
    >>> X, y = load_wages(return_X_y=True)
    >>> wage_feature_names(make_wage_pipeline().fit(X, y))[:2]
    ['age', 'education_high']
    """
    encode = pipeline.named_steps["encode"]
    names = []
    for name in encode.get_feature_names_out():
        for tname, _, _ in encode.transformers_:
            prefix = f"{tname}__"
            if name.startswith(prefix):
                name = name[len(prefix) :]
                break
        names.append(str(name))
    return names


def _final_linear_model(pipeline):
    """The fitted linear model of the pipeline (unwrapping a target transform)."""
    model = pipeline.named_steps["model"]
    if isinstance(model, TransformedTargetRegressor):
        raise TypeError(
            "The model predicts a transformed target, so its coefficients are not "
            "in salary units; use skreg.wage.wage_contrasts with X instead."
        )
    if hasattr(model, "best_estimator_"):
        model = model.best_estimator_
    if not hasattr(model, "coef_"):
        raise TypeError(
            f"{type(model).__name__} has no coef_: it is not a linear model. Use "
            "skreg.wage.wage_contrasts(pipeline, X=...) for its average effects."
        )
    return model


def _numeric_scale(pipeline, n_features):
    """Per-column divisor that converts coefficients back to original units."""
    encode = pipeline.named_steps["encode"]
    scale = np.ones(n_features)
    for tname, trans, _ in encode.transformers_:
        if tname == "num" and isinstance(trans, StandardScaler):
            idx = encode.output_indices_[tname]
            if trans.scale_ is not None:
                scale[idx] = trans.scale_
    return scale


def wage_coefficients(pipeline, *, original_units=True, intercept=False):
    """Coefficients of a fitted wage pipeline as a Series named by feature.

    Parameters
    ----------
    pipeline : Pipeline
        A fitted pipeline from :func:`make_wage_pipeline` whose model has a
        ``coef_`` (a linear model, or a search over one).

    original_units : bool, default=True
        If the numeric columns were standardised, divide their coefficients
        by the scaler's standard deviations, so that ``age`` is the salary
        change per year of age. With False, return the model's coefficients
        on the transformed design as they are.

    intercept : bool, default=False
        Append the intercept as ``"intercept"`` (in original units when
        ``original_units=True``).

    Returns
    -------
    coef : pandas.Series
        Indexed ``age, education_high, ..., company_size_small`` (numeric
        columns first, then each categorical column's levels in sorted
        order), named ``"coef"``.

    Notes
    -----
    The dummy coefficients of one categorical column are not identified
    (see :func:`make_wage_pipeline`); their differences are.

    Examples
    --------
    >>> from skreg.datasets import load_wages
    >>> from skreg.wage import make_wage_pipeline, wage_coefficients
    >>> X, y = load_wages(return_X_y=True)
    >>> pipe = make_wage_pipeline(scale_numeric=True).fit(X, y)
    >>> coef = wage_coefficients(pipe)
    >>> float(coef["education_university"] - coef["education_middle"])
    115.2...
    """
    model = _final_linear_model(pipeline)
    coef = np.asarray(model.coef_, dtype=np.float64)
    if coef.ndim != 1:
        coef = coef.reshape(-1)
    names = wage_feature_names(pipeline)
    if coef.shape[0] != len(names):
        raise ValueError(
            f"The model has {coef.shape[0]} coefficients but the design has "
            f"{len(names)} columns."
        )
    b = float(np.ravel(getattr(model, "intercept_", 0.0))[0])
    if original_units:
        encode = pipeline.named_steps["encode"]
        scale = _numeric_scale(pipeline, coef.shape[0])
        for tname, trans, _ in encode.transformers_:
            if tname == "num" and isinstance(trans, StandardScaler):
                idx = encode.output_indices_[tname]
                if trans.mean_ is not None:
                    b -= float(coef[idx] @ (trans.mean_ / scale[idx]))
        coef = coef / scale
    series = pd.Series(coef, index=names, name="coef")
    if intercept:
        series["intercept"] = b
    return series
