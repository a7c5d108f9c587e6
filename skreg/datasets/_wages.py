"""The Japanese wage-structure table and a census-style generator built on it."""

from importlib import resources

import numpy as np
import pandas as pd
from sklearn.utils import Bunch, check_random_state

__all__ = [
    "ATTRIBUTION",
    "AGE_CLASSES",
    "COMPANY_SIZE_LEVELS",
    "EDUCATION_LEVELS",
    "load_wages",
    "make_census_wages",
]

ATTRIBUTION = (
    "Data: 厚生労働省「平成30年賃金構造基本統計調査」, tabulated by H. Watanabe "
    "(kaityo256/python_zero, ml/salary.csv)"
)

#: Education levels from least to most schooling.
EDUCATION_LEVELS = ("middle", "high", "tech", "university")
#: Company sizes from smallest to largest.
COMPANY_SIZE_LEVELS = ("small", "middle", "large")
#: Lower bounds of the ten 5-year age classes (the table's ages are ``lo + 2``).
AGE_CLASSES = tuple(range(20, 70, 5))

_DATA_FILE = "salary.csv"

_DESCR = f"""\
Japanese wage-structure table (2018)
------------------------------------

Monthly salary (thousands of yen) by age class, education and company size, from
the 2018 Basic Survey on Wage Structure of Japan's Ministry of Health, Labour and
Welfare (平成30年賃金構造基本統計調査), as tabulated for the lecture "簡単な機械学習"
by H. Watanabe.

:Number of rows: 120 (10 age classes x 4 education levels x 3 company sizes,
    one row per cell; each value is a cell mean, not an individual record)
:Columns:
    - age            mid-point of the 5-year age class: 22, 27, ..., 67
    - education      middle (中卒), high (高卒), tech (高専・短大卒),
                     university (大学・大学院卒)
    - company_size   small (10-99 employees), middle (100-999), large (1000+)
    - salary         monthly salary in thousands of yen (the target)
:Missing values: none

Pay rises with age up to the 55-59 class and falls after it, which is why the
classic exercise keeps ages under 55 before fitting a linear model.

{ATTRIBUTION}.
Source: https://www.mhlw.go.jp/toukei/itiran/roudou/chingin/kouzou/z2018/index.html
See ``data/PROVENANCE.md`` in this package for the file's history and terms.
"""


def _data_path():
    return resources.files("skreg.datasets").joinpath("data", _DATA_FILE)


def load_wages(*, return_X_y=False, as_frame=True):
    """Load the Japanese wage-structure table (2018, 120 cells).

    Monthly salary in thousands of yen by age class, education and company
    size, from the Ministry of Health, Labour and Welfare's 2018 Basic Survey
    on Wage Structure (平成30年賃金構造基本統計調査), tabulated by H. Watanabe
    (kaityo256/python_zero, ``ml/salary.csv``).

    =================   ===========================================
    Rows                120 (one per age x education x size cell)
    Features            3: ``age`` (int), ``education``, ``company_size``
    Target              ``salary`` (float, thousands of yen per month)
    =================   ===========================================

    Parameters
    ----------
    return_X_y : bool, default=False
        If True, return ``(X, y)``: the three feature columns and the
        ``salary`` target, instead of the whole table.

    as_frame : bool, default=True
        If True, return pandas objects: the table as a DataFrame (``str``
        columns for the categories with pandas >= 3, ``object`` before), or
        ``X`` as a DataFrame and ``y`` as a Series named ``salary``. If
        False, return NumPy arrays (``X`` of dtype object) and, without
        ``return_X_y``, a :class:`~sklearn.utils.Bunch` in the style of
        scikit-learn's loaders.

    Returns
    -------
    data : DataFrame of shape (120, 4) or Bunch
        With ``as_frame=True``: columns ``age, education, company_size,
        salary``; ``data.attrs["DESCR"]`` holds the description and
        ``data.attrs["attribution"]`` the attribution line. With
        ``as_frame=False``: a Bunch with ``data``, ``target``, ``frame``
        (None), ``feature_names``, ``target_names``, ``DESCR`` and
        ``data_filename``.

    (X, y) : tuple
        With ``return_X_y=True``: ``X`` of shape (120, 3) and ``y`` of
        shape (120,).

    See Also
    --------
    make_census_wages : Individual census-style records following this table.
    skreg.wage.make_wage_pipeline : The one-hot regression pipeline for it.

    Notes
    -----
    The file ships with the package (``skreg/datasets/data/salary.csv``,
    byte for byte as published); ``data/PROVENANCE.md`` records its origin
    and terms. The label ``middle`` occurs in both categorical columns
    (middle school, mid-size company): the one-hot columns are told apart by
    their prefixes, ``education_middle`` and ``company_size_middle``.

    References
    ----------
    .. [1] 厚生労働省「平成30年賃金構造基本統計調査」 (Ministry of Health, Labour
       and Welfare, Basic Survey on Wage Structure 2018).
    .. [2] H. Watanabe, "簡単な機械学習", python_zero lecture notes,
       https://github.com/kaityo256/python_zero (``ml/salary.csv``).

    Examples
    --------
    >>> from skreg.datasets import load_wages
    >>> df = load_wages()
    >>> df.shape
    (120, 4)
    >>> list(df.columns)
    ['age', 'education', 'company_size', 'salary']
    >>> X, y = load_wages(return_X_y=True)
    >>> X.shape, y.name
    ((120, 3), 'salary')
    """
    with _data_path().open("rb") as fh:
        frame = pd.read_csv(fh)
    frame.attrs["DESCR"] = _DESCR
    frame.attrs["attribution"] = ATTRIBUTION
    feature_names = ["age", "education", "company_size"]
    X = frame[feature_names]
    y = frame["salary"]
    if return_X_y:
        if as_frame:
            return X, y
        return X.to_numpy(dtype=object), y.to_numpy()
    if as_frame:
        return frame
    return Bunch(
        data=X.to_numpy(dtype=object),
        target=y.to_numpy(),
        frame=None,
        feature_names=feature_names,
        target_names=["salary"],
        DESCR=_DESCR,
        data_filename=_DATA_FILE,
        data_module="skreg.datasets.data",
    )


# A stylised, not survey-weighted, mix of the Japanese workforce: share of each
# age class, and of company sizes given education (graduates work more often for
# large firms). Used as the generator's defaults.
_AGE_WEIGHTS = np.array([8, 11, 11, 12, 13, 13, 11, 9, 7, 5], dtype=float)
_EDUCATION_WEIGHTS = {"middle": 4.0, "high": 42.0, "tech": 18.0, "university": 36.0}
_SIZE_GIVEN_EDUCATION = {  # small, middle, large
    "middle": (55.0, 30.0, 15.0),
    "high": (40.0, 35.0, 25.0),
    "tech": (35.0, 35.0, 30.0),
    "university": (22.0, 33.0, 45.0),
}


def _weights(given, levels, name):
    """Normalised weights over ``levels`` from a mapping (or None)."""
    if not isinstance(given, dict):
        raise TypeError(f"{name} must be a dict mapping levels to weights or None.")
    unknown = set(given) - set(levels)
    if unknown:
        raise ValueError(
            f"{name} has unknown levels {sorted(unknown)}; expected {list(levels)}."
        )
    w = np.array([float(given.get(level, 0.0)) for level in levels])
    if not np.all(np.isfinite(w)) or np.any(w < 0) or not w.sum() > 0:
        raise ValueError(f"{name} must be non-negative, finite and not all zero.")
    return w / w.sum()


def _mean_by_single_age(table):
    """Mean salary for every integer age 20..69 of every (education, size) cell.

    Piecewise-linear interpolation through the class mid-points (constant
    beyond the first and last), then shifted within each class so that the
    mean over its five ages equals the table value exactly.

    ``table`` has shape (10, n_cells); the result has shape (50, n_cells).
    """
    mid = np.array(AGE_CLASSES, dtype=float) + 2.0
    ages = np.arange(20, 70, dtype=float)
    out = np.empty((ages.size, table.shape[1]))
    for j in range(table.shape[1]):
        out[:, j] = np.interp(ages, mid, table[:, j])
    for k in range(len(AGE_CLASSES)):
        rows = slice(5 * k, 5 * k + 5)
        out[rows] += table[k] - out[rows].mean(axis=0)
    return out


def make_census_wages(
    n_samples=100_000,
    *,
    random_state=None,
    noise=0.3,
    education_weights=None,
    company_size_weights=None,
    return_X_y=False,
):
    """Generate census-style individual wage records that follow the table.

    Each record is one worker: an integer age, an education level, a company
    size and a monthly salary (thousands of yen). Within each cell of
    :func:`load_wages` (5-year age class x education x company size) the
    expected salary equals the table's value, so averaging many generated
    records recovers the table.

    Parameters
    ----------
    n_samples : int, default=100_000
        Number of records. Vectorised: 10**6 records take well under a
        second.

    random_state : int, RandomState instance or None, default=None
        Seed of the draw, for reproducible output.

    noise : float, default=0.3
        Standard deviation of the multiplicative log-normal noise: a record's
        salary is ``m * exp(noise * z - noise**2 / 2)`` with ``z`` standard
        normal and ``m`` the mean salary at its age, so its expectation is
        ``m``. ``0`` gives the noise-free means.

    education_weights : dict or None, default=None
        Share of each education level (``middle``, ``high``, ``tech``,
        ``university``), normalised to sum to one. Default: 4%, 42%, 18%,
        36%.

    company_size_weights : dict or None, default=None
        Share of each company size (``small``, ``middle``, ``large``), the
        same for every education level. Default: a size mix that depends on
        education (university graduates work more often in large companies,
        middle-school graduates in small ones).

    return_X_y : bool, default=False
        If True, return ``(X, y)`` instead of one DataFrame.

    Returns
    -------
    frame : DataFrame of shape (n_samples, 4)
        Columns ``age`` (int64), ``education`` and ``company_size``
        (categorical, levels in their natural order) and ``salary`` (float64,
        rounded to 0.1).

    (X, y) : tuple
        With ``return_X_y=True``: the three feature columns and the
        ``salary`` Series.

    See Also
    --------
    load_wages : The table whose cell means the records follow.

    Notes
    -----
    Ages are spread uniformly over the five integer ages of their class
    (20-24, ..., 65-69). Within a class the mean salary follows a
    piecewise-linear interpolation through the class mid-points, shifted so
    that the class mean equals the table value exactly: the records vary
    smoothly with age while their cell means follow the table. The age
    classes are drawn with a stylised workforce profile (fewer workers under
    25 and over 60); education and company size with the weights above. The
    mix is plausible, not the survey's sampling weights.

    The categorical columns use pandas' ``category`` dtype, which keeps
    10**6 records at about 20 MB.

    Examples
    --------
    >>> from skreg.datasets import make_census_wages
    >>> df = make_census_wages(1000, random_state=0)
    >>> df.shape
    (1000, 4)
    >>> sorted(df["education"].cat.categories)
    ['high', 'middle', 'tech', 'university']
    >>> bool(df["age"].between(20, 69).all())
    True
    """
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)):
        raise TypeError(f"n_samples must be an int, got {type(n_samples).__name__}.")
    if n_samples < 1:
        raise ValueError(f"n_samples must be >= 1, got {n_samples}.")
    if not (np.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}.")
    rng = check_random_state(random_state)

    table = load_wages()
    edu_levels, size_levels = EDUCATION_LEVELS, COMPANY_SIZE_LEVELS
    pivot = table.pivot_table(
        index="age", columns=["education", "company_size"], values="salary"
    )
    cells = [(e, s) for e in edu_levels for s in size_levels]
    means = _mean_by_single_age(pivot[cells].to_numpy())  # (50, 12)

    p_edu = _weights(
        _EDUCATION_WEIGHTS if education_weights is None else education_weights,
        edu_levels,
        "education_weights",
    )
    if company_size_weights is None:
        p_size = np.array([_SIZE_GIVEN_EDUCATION[e] for e in edu_levels])
        p_size /= p_size.sum(axis=1, keepdims=True)
    else:
        p_size = np.tile(
            _weights(company_size_weights, size_levels, "company_size_weights"),
            (len(edu_levels), 1),
        )
    p_cell = (p_edu[:, None] * p_size).ravel()  # (12,), order of ``cells``
    p_age = _AGE_WEIGHTS / _AGE_WEIGHTS.sum()

    n = int(n_samples)
    age_class = rng.choice(p_age.size, size=n, p=p_age)
    cell = rng.choice(p_cell.size, size=n, p=p_cell)
    age_index = 5 * age_class + rng.randint(0, 5, size=n)
    mean = means[age_index, cell]
    if noise > 0:
        mean = mean * np.exp(noise * rng.standard_normal(n) - 0.5 * noise**2)
    salary = np.round(mean, 1)

    n_size = len(size_levels)
    frame = pd.DataFrame(
        {
            "age": (age_index + 20).astype(np.int64),
            "education": pd.Categorical.from_codes(
                (cell // n_size).astype(np.int8), categories=list(edu_levels)
            ),
            "company_size": pd.Categorical.from_codes(
                (cell % n_size).astype(np.int8), categories=list(size_levels)
            ),
            "salary": salary,
        }
    )
    frame.attrs["attribution"] = ATTRIBUTION
    if return_X_y:
        return frame[["age", "education", "company_size"]], frame["salary"]
    return frame
