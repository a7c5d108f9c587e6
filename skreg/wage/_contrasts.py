"""Identified contrasts of the collinear one-hot design."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from skreg.datasets._wages import COMPANY_SIZE_LEVELS, EDUCATION_LEVELS
from skreg.wage._pipeline import wage_coefficients

__all__ = ["Contrast", "default_contrasts", "level_order", "wage_contrasts"]

# Level sets with a natural order: the lecture's columns, under any column name.
_KNOWN_ORDERS = (EDUCATION_LEVELS, COMPANY_SIZE_LEVELS)


@dataclass(frozen=True)
class Contrast:
    """One identified quantity of the wage model.

    Either the difference between two levels of a categorical column
    (``level - baseline``), or, with ``level=None``, the slope of a numeric
    column (salary change per unit).

    Parameters
    ----------
    column : str
        Column of the data.

    level : str or None, default=None
        The level compared; None for the slope of a numeric column.

    baseline : str or None, default=None
        The level it is compared with.

    Examples
    --------
    >>> from skreg.wage import Contrast
    >>> Contrast("education", "university", "middle").label
    'education: university - middle'
    >>> Contrast("age").label
    'age: slope'
    """

    column: str
    level: object = None
    baseline: object = None

    def __post_init__(self):
        if (self.level is None) != (self.baseline is None):
            raise ValueError(
                "A contrast needs both a level and a baseline, or neither (slope)."
            )

    @property
    def is_slope(self):
        return self.level is None

    @property
    def label(self):
        if self.is_slope:
            return f"{self.column}: slope"
        return f"{self.column}: {self.level} - {self.baseline}"


def level_order(values):
    """Levels of a categorical column, in their natural order when known.

    The category order for a pandas ``category`` column, the lecture's order
    for the education and company-size labels (whatever the column is
    called), sorted order otherwise.

    Parameters
    ----------
    values : pandas.Series

    Returns
    -------
    levels : list

    Examples
    --------
    >>> import pandas as pd
    >>> from skreg.wage import level_order
    >>> level_order(pd.Series(["large", "small", "middle", "small"]))
    ['small', 'middle', 'large']
    >>> level_order(pd.Series(["b", "a", "c"]))
    ['a', 'b', 'c']
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        present = set(values.dropna().unique())
        return [c for c in values.cat.categories if c in present]
    present = list(pd.unique(values.dropna()))
    for order in _KNOWN_ORDERS:
        if set(present) == set(order):
            return list(order)
    try:
        return sorted(present)
    except TypeError:
        return sorted(present, key=str)


def default_contrasts(X, categorical, numeric):
    """Every level against the first (natural or sorted) level, and the slopes.

    For the embedded data: ``high/tech/university - middle``,
    ``middle/large - small`` and the age slope.

    Parameters
    ----------
    X : DataFrame
        The data (used for the levels present).

    categorical, numeric : sequence of str
        Columns of the model.

    Returns
    -------
    contrasts : list of Contrast

    Examples
    --------
    >>> from skreg.datasets import load_wages
    >>> from skreg.wage import default_contrasts
    >>> cs = default_contrasts(load_wages(), ["education"], ["age"])
    >>> [c.label for c in cs]  # doctest: +NORMALIZE_WHITESPACE
    ['education: high - middle', 'education: tech - middle',
     'education: university - middle', 'age: slope']
    """
    out = []
    for col in categorical:
        levels = level_order(X[col])
        out.extend(Contrast(col, lvl, levels[0]) for lvl in levels[1:])
    out.extend(Contrast(col) for col in numeric)
    return out


def _coef_name(pipeline, column, level):
    """Design-column name of ``column == level`` (checked against the encoder)."""
    encode = pipeline.named_steps["encode"]
    for tname, trans, cols in encode.transformers_:
        if tname == "cat" and column in list(cols):
            cats = trans.categories_[list(cols).index(column)]
            if level not in set(cats.tolist()):
                raise ValueError(
                    f"Level {level!r} of column {column!r} was not seen in fit; "
                    f"known levels: {cats.tolist()}."
                )
            return f"{column}_{level}"
    raise ValueError(f"{column!r} is not a categorical column of the pipeline.")


def _linear_contrast(pipeline, coef, c):
    if c.is_slope:
        if c.column not in coef.index:
            raise ValueError(f"{c.column!r} is not a numeric column of the pipeline.")
        return float(coef[c.column])
    names = coef.index
    a = _coef_name(pipeline, c.column, c.level)
    b = _coef_name(pipeline, c.column, c.baseline)
    if a not in names or b not in names:  # pragma: no cover - names follow encoder
        raise ValueError(f"Cannot find {a!r} and {b!r} among {list(names)}.")
    return float(coef[a] - coef[b])


def _average_effect(pipeline, X, c):
    """Mean counterfactual change of the prediction over the rows of X."""
    if c.is_slope:
        h = 0.5
        lo, hi = X.copy(), X.copy()
        lo[c.column] = X[c.column].astype(np.float64) - h
        hi[c.column] = X[c.column].astype(np.float64) + h
        return float(np.mean(pipeline.predict(hi) - pipeline.predict(lo)) / (2 * h))
    _coef_name(pipeline, c.column, c.level)
    _coef_name(pipeline, c.column, c.baseline)
    a, b = X.copy(), X.copy()
    col = X[c.column]
    if isinstance(col.dtype, pd.CategoricalDtype):
        col = col.astype(object)
    a[c.column] = pd.Series([c.level] * len(X), index=X.index, dtype=col.dtype)
    b[c.column] = pd.Series([c.baseline] * len(X), index=X.index, dtype=col.dtype)
    return float(np.mean(pipeline.predict(a) - pipeline.predict(b)))


def wage_contrasts(pipeline, contrasts, X=None):
    """Identified contrasts of a fitted wage pipeline.

    For a linear model, the difference of two dummy coefficients of the same
    column (e.g. ``education_university - education_middle``: how much more
    a university graduate earns than a middle-school graduate, other things
    equal) and the coefficient of a numeric column (the age slope, per
    year). Unlike the dummies themselves these do not depend on how the
    solver resolves the collinearity of the one-hot design.

    For a model without coefficients (an MLP), the average counterfactual
    effect over the rows of ``X``: the mean change of the prediction when
    every row's level is switched from the baseline to the level, or the
    mean derivative along a numeric column (central difference of +-0.5).
    For a linear model this equals the coefficient difference.

    Parameters
    ----------
    pipeline : Pipeline
        A fitted pipeline from :func:`skreg.wage.make_wage_pipeline`.

    contrasts : sequence of Contrast
        The contrasts, e.g. from :func:`default_contrasts`.

    X : DataFrame or None, default=None
        Rows over which to average, needed when the model has no ``coef_``.

    Returns
    -------
    values : pandas.Series
        Indexed by the contrasts' labels, named ``"contrast"``.

    Examples
    --------
    >>> from skreg.datasets import load_wages
    >>> from skreg.wage import Contrast, make_wage_pipeline, wage_contrasts
    >>> df = load_wages()
    >>> df = df[df["age"] < 55]
    >>> pipe = make_wage_pipeline().fit(df, df["salary"])
    >>> c = wage_contrasts(pipe, [Contrast("education", "university", "middle"),
    ...                           Contrast("company_size", "large", "small"),
    ...                           Contrast("age")])
    >>> c.round(1).tolist()
    [93.9, 46.9, 5.1]
    """
    try:
        coef = wage_coefficients(pipeline)
    except TypeError:
        if X is None:
            raise TypeError(
                "This model has no coefficients: pass X to average its effects."
            ) from None
        values = [_average_effect(pipeline, X, c) for c in contrasts]
    else:
        values = [_linear_contrast(pipeline, coef, c) for c in contrasts]
    return pd.Series(values, index=[c.label for c in contrasts], name="contrast")
