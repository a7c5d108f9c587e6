"""Tests of skreg.datasets: the embedded wage table and the census generator."""

import hashlib
from importlib import resources

import numpy as np
import pandas as pd
import pytest
from sklearn.utils import Bunch

from skreg.datasets import (
    ATTRIBUTION,
    COMPANY_SIZE_LEVELS,
    EDUCATION_LEVELS,
    load_wages,
    make_census_wages,
)
from skreg.datasets._wages import _mean_by_single_age

SHA256 = "13fad7896b1cfabcd564833ad0afda8abdf8126b6ba092bfd2af91004d361eeb"


def test_data_file_is_the_published_file():
    data = resources.files("skreg.datasets").joinpath("data", "salary.csv")
    assert hashlib.sha256(data.read_bytes()).hexdigest() == SHA256
    provenance = resources.files("skreg.datasets").joinpath("data", "PROVENANCE.md")
    text = provenance.read_text(encoding="utf-8")
    assert "厚生労働省「平成30年賃金構造基本統計調査」" in text
    assert "kaityo256/python_zero" in text


def test_load_wages_frame():
    df = load_wages()
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == ["age", "education", "company_size", "salary"]
    assert df.shape == (120, 4)
    assert sorted(df["age"].unique()) == list(range(22, 68, 5))
    assert set(df["education"]) == set(EDUCATION_LEVELS)
    assert set(df["company_size"]) == set(COMPANY_SIZE_LEVELS)
    assert df["salary"].dtype == np.float64
    assert not df.isna().any().any()
    # full factorial: one row per cell
    assert not df.duplicated(["age", "education", "company_size"]).any()
    assert df.attrs["attribution"] == ATTRIBUTION
    assert ATTRIBUTION in df.attrs["DESCR"]
    # first row of the published file
    assert df.iloc[0].tolist() == [22, "middle", "large", 207.8]


def test_load_wages_return_X_y():
    X, y = load_wages(return_X_y=True)
    assert list(X.columns) == ["age", "education", "company_size"]
    assert y.name == "salary" and y.shape == (120,)
    Xa, ya = load_wages(return_X_y=True, as_frame=False)
    assert isinstance(Xa, np.ndarray) and Xa.shape == (120, 3)
    np.testing.assert_array_equal(ya, y.to_numpy())


def test_load_wages_bunch():
    b = load_wages(as_frame=False)
    assert isinstance(b, Bunch)
    assert b.feature_names == ["age", "education", "company_size"]
    assert b.data.shape == (120, 3) and b.target.shape == (120,)
    assert b.frame is None and ATTRIBUTION in b.DESCR


def test_single_age_means_average_to_the_table():
    table = load_wages().pivot_table(
        index="age", columns=["education", "company_size"], values="salary"
    )
    means = _mean_by_single_age(table.to_numpy())
    assert means.shape == (50, 12)
    np.testing.assert_allclose(
        means.reshape(10, 5, 12).mean(axis=1), table.to_numpy(), rtol=1e-12
    )
    # smooth: within a class the mean moves with age (not a step function)
    assert np.all(np.ptp(means.reshape(10, 5, 12), axis=1)[1:7] > 0)


def test_generator_shape_dtypes_and_seed():
    df = make_census_wages(2000, random_state=3)
    assert list(df.columns) == ["age", "education", "company_size", "salary"]
    assert df.shape == (2000, 4)
    assert df["age"].dtype == np.int64 and df["age"].between(20, 69).all()
    assert list(df["education"].cat.categories) == list(EDUCATION_LEVELS)
    assert list(df["company_size"].cat.categories) == list(COMPANY_SIZE_LEVELS)
    assert (df["salary"] > 0).all()
    pd.testing.assert_frame_equal(df, make_census_wages(2000, random_state=3))
    assert not df.equals(make_census_wages(2000, random_state=4))
    X, y = make_census_wages(10, random_state=0, return_X_y=True)
    assert list(X.columns) == ["age", "education", "company_size"]
    assert y.name == "salary"


def test_generator_cell_means_follow_the_table():
    df = make_census_wages(300_000, random_state=0)
    df["age_class"] = (df["age"] // 5) * 5 + 2
    cells = df.groupby(["age_class", "education", "company_size"], observed=True)
    stats = cells["salary"].agg(["mean", "std", "count"]).reset_index()
    table = load_wages().rename(columns={"age": "age_class"})
    merged = table.merge(stats, on=["age_class", "education", "company_size"])
    assert len(merged) == 120  # every cell is populated
    # within a cell the age spread adds a little variance; 5 standard errors
    se = merged["std"] / np.sqrt(merged["count"])
    z = (merged["mean"] - merged["salary"]) / se
    assert np.abs(z).max() < 5
    # ages spread over all five years of every class
    assert df.groupby("age_class")["age"].nunique().eq(5).all()


def test_generator_noise_is_multiplicative_and_mean_preserving():
    quiet = make_census_wages(50_000, random_state=1, noise=0.0)
    noisy = make_census_wages(50_000, random_state=1, noise=0.5)
    # same draws of the cells and ages; the noise is a factor of mean one
    pd.testing.assert_series_equal(quiet["age"], noisy["age"])
    ratio = noisy["salary"] / quiet["salary"]
    assert abs(ratio.mean() - 1) < 0.02
    assert abs(np.log(ratio).std() - 0.5) < 0.02


def test_generator_mix_of_education_and_size():
    df = make_census_wages(100_000, random_state=0)
    share = df["education"].value_counts(normalize=True)
    assert share["high"] > share["university"] > share["tech"] > share["middle"]
    large = df["company_size"].eq("large").groupby(df["education"], observed=True)
    assert large.mean()["university"] > large.mean()["middle"]
    only = make_census_wages(
        500,
        random_state=0,
        education_weights={"university": 1},
        company_size_weights={"small": 1, "large": 1},
    )
    assert set(only["education"]) == {"university"}
    assert set(only["company_size"]) == {"small", "large"}


@pytest.mark.parametrize(
    "kwargs, err, match",
    [
        ({"n_samples": 0}, ValueError, "n_samples must be >= 1"),
        ({"n_samples": 2.5}, TypeError, "n_samples must be an int"),
        ({"noise": -1}, ValueError, "noise must be a finite number"),
        ({"education_weights": {"phd": 1}}, ValueError, "unknown levels"),
        ({"company_size_weights": {"small": 0}}, ValueError, "not all zero"),
        ({"education_weights": [1, 2]}, TypeError, "must be a dict"),
    ],
)
def test_generator_bad_arguments(kwargs, err, match):
    kwargs = {"n_samples": 10, **kwargs}
    with pytest.raises(err, match=match):
        make_census_wages(**kwargs)
