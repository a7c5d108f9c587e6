"""The one shared base of skreg's estimators.

This is the only module that touches scikit-learn's private helpers
(``_fit_context``, ``_param_validation``, ``_check_sample_weight``): when they
move between scikit-learn releases, this is the one file to mend.

Data flow of every linear estimator::

    fit -> _validate_fit_data -> _center -> pure kernel -> fitted attributes

Kernels receive read-only views (:func:`readonly`) of every array that may
belong to the user, so a kernel can never write into user data, and every
kernel is compiled for one array type per dtype.
"""

import numbers
import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    validate_data,
)

__all__ = [
    "Interval",
    "Options",
    "StrOptions",
    "_fit_context",
    "LinearRegressorBase",
    "readonly",
    "validate_sample_weight",
    "check_sparse_structure",
    "check_sparse_input",
    "kernel_design",
    "kernel_float",
    "warn_not_converged",
    "validate_data",
    "check_is_fitted",
]


def readonly(a):
    """Return a read-only view of ``a`` (no copy)."""
    v = a.view()
    v.setflags(write=False)
    return v


def validate_sample_weight(sample_weight, X, dtype):
    """Validated sample weights as a new array, or None.

    Negative weights and weights that sum to zero are rejected: the weighted
    objective is undefined for them.
    """
    if sample_weight is None:
        return None
    sw = _check_sample_weight(sample_weight, X, dtype=dtype, ensure_non_negative=True)
    if not np.all(np.isfinite(sw)):
        raise ValueError("sample_weight contains NaN or infinity.")
    if not sw.sum() > 0:
        raise ValueError(
            "sample_weight sums to zero: at least one sample needs a positive weight."
        )
    if sw is sample_weight:  # never hand the user's array to a kernel writable
        sw = sw.copy()
    return sw


def check_sparse_input(X):
    """Reject a user's sparse matrix whose index arrays are malformed.

    Runs on the matrix as given, before any format conversion: scipy's
    compiled conversions (CSR -> CSC, COO -> CSC) and products do not check
    bounds, so an out-of-range index or a bad ``indptr`` would read or write
    out of bounds (a crash or a silently wrong answer) before
    :func:`check_sparse_structure` could see the converted matrix.
    """
    fmt = X.format
    if fmt in ("csr", "csc", "bsr"):
        R, C = X.blocksize if fmt == "bsr" else (1, 1)
        n_rows, n_cols = X.shape[0] // R, X.shape[1] // C
        n_major, n_minor = (n_cols, n_rows) if fmt == "csc" else (n_rows, n_cols)
        _check_compressed(X.indptr, X.indices, X.data.shape[0], n_major, n_minor)
    elif fmt == "coo":
        n_data = X.data.shape[0]
        for k, (idx, n) in enumerate(zip(X.coords, X.shape, strict=True)):
            if idx.shape != (n_data,):
                raise ValueError(
                    "Malformed sparse matrix: COO index and data arrays differ in "
                    "length."
                )
            if n_data and (idx.min() < 0 or idx.max() >= n):
                raise ValueError(
                    f"Malformed sparse matrix: a {('row', 'column')[k]} index is "
                    "out of bounds."
                )


def _check_compressed(indptr, indices, n_data, n_major, n_minor):
    if indptr.ndim != 1 or indptr.shape[0] != n_major + 1:
        raise ValueError(f"Malformed sparse matrix: indptr has shape {indptr.shape}.")
    if indptr[0] != 0 or np.any(np.diff(indptr) < 0):
        raise ValueError(
            "Malformed sparse matrix: indptr is not non-decreasing from 0."
        )
    nnz = indptr[-1]
    if nnz > indices.shape[0] or nnz > n_data:
        raise ValueError("Malformed sparse matrix: indptr points past the data.")
    if not nnz:
        return
    idx = indices[:nnz]
    if idx.dtype.kind == "i" and idx.dtype.itemsize in (4, 8):
        # one reduction instead of two (1M indices: 0.15 ms each): seen as
        # unsigned, a negative index is at least 2^31 > n_minor
        out = idx.view(f"u{idx.dtype.itemsize}").max() >= n_minor
    else:
        out = idx.min() < 0 or idx.max() >= n_minor
    if out:
        raise ValueError("Malformed sparse matrix: an index is out of bounds.")


def check_sparse_structure(X, checked=False):
    """Validate a CSC/CSR matrix's index arrays and return a canonical copy if needed.

    Guards the kernels against out-of-bounds access from malformed index
    arrays, and sums duplicate entries / sorts indices on a copy (the user's
    matrix is never modified), so a non-canonical matrix gives the same
    answer as its dense equivalent. 64-bit indices become 32-bit ones (new
    index arrays) when every index fits.
    """
    n_major = X.shape[1] if X.format == "csc" else X.shape[0]
    n_minor = X.shape[0] if X.format == "csc" else X.shape[1]
    if not checked:
        _check_compressed(X.indptr, X.indices, X.data.shape[0], n_major, n_minor)
    nnz = X.indptr[-1]
    if not X.has_canonical_format:
        X = X.copy()
        X.sum_duplicates()
    elif X.data.shape[0] != nnz or X.indices.shape[0] != nnz:
        X = X.copy()
    if X.indices.dtype != X.indptr.dtype or X.indices.dtype not in (np.int32, np.int64):
        X = X.copy()
        X.indices = X.indices.astype(np.int64)
        X.indptr = X.indptr.astype(np.int64)
    if X.indices.dtype == np.int64 and max(X.shape + (nnz,)) <= np.iinfo(np.int32).max:
        # 32-bit indices whenever they fit: the kernels are compiled (seconds)
        # per index dtype, and 64-bit ones are then needed only for matrices
        # with 2^31 non-zeros or more. New index arrays, the data is shared.
        X = type(X)(
            (X.data, X.indices.astype(np.int32), X.indptr.astype(np.int32)),
            shape=X.shape,
            copy=False,
        )
    return X


def kernel_design(X):
    """Pack X as ``(X2d, data, indices, indptr, is_sparse)`` read-only arrays.

    Dense X must already be Fortran-ordered; sparse X canonical CSC. Unused
    slots hold empty arrays of the right dtype, so each kernel is compiled
    once per (float dtype, index dtype) pair: at most four times.
    """
    dtype = X.dtype
    if sp.issparse(X):
        # a 2x2 Fortran array is F- but not C-contiguous (an empty or 1-row one is
        # both, and numba would type it as C): one layout, fewer compilations
        X2d = np.zeros((2, 2), dtype=dtype, order="F")
        return (
            readonly(X2d),
            readonly(X.data),
            readonly(X.indices),
            readonly(X.indptr),
            True,
        )
    empty_i = np.empty(0, dtype=np.int32)
    return (
        readonly(X),
        readonly(np.empty(0, dtype=dtype)),
        readonly(empty_i),
        readonly(empty_i),
        False,
    )


def kernel_float(a):
    """A read-only C-contiguous float64 view (or copy) of ``a`` for a kernel.

    Everything a kernel receives except the design (``X`` or the CSC
    ``data``) is float64, whatever the dtype of X: the kernels' work arrays
    and scalars are float64 too, so each helper compiles once per design
    dtype and the float32 kernels share the helpers that do not touch X
    (mixing float32 and float64 arguments compiled up to six versions of a
    helper). Estimators cast the coefficients back to X's dtype.
    """
    return readonly(np.ascontiguousarray(a, dtype=np.float64))


def warn_not_converged(name, measure, value, target, n_iter):
    warnings.warn(
        f"{name} did not converge in {n_iter} iterations: {measure} {value:.3e} "
        f"is above the target {target:.3e}. Increase max_iter, loosen tol, or "
        "scale the features.",
        ConvergenceWarning,
        stacklevel=3,
    )


def _same_csc_arrays(X, X_in):
    """True when CSC matrix X shares its shape and index/data arrays with X_in."""
    return (
        sp.issparse(X_in)
        and X.format == "csc"
        and X_in.format == "csc"
        and X.shape == X_in.shape
        and X.indptr is X_in.indptr
        and X.indices is X_in.indices
        and X.data is X_in.data
    )


class LinearRegressorBase(RegressorMixin, BaseEstimator):
    """Shared input checks, centring, intercept, predict and tags."""

    # subclasses set these
    _multi_output = False
    _dtypes = [np.float64, np.float32]

    def _validate_fit_data(self, X, y, sample_weight):
        """Validate X, y and sample_weight for a kernel.

        Returns X (Fortran float array or canonical CSC, never modified),
        y (new contiguous array of X's dtype), sample weights (new array) or
        None.
        """
        X_in = X
        if sp.issparse(X):
            check_sparse_input(X)  # before scipy converts it (no bounds checks)
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=["csc"],
            dtype=self._dtypes,
            order="F",
            multi_output=self._multi_output,
            y_numeric=True,
            accept_large_sparse=True,
        )
        if sp.issparse(X):
            # the index arrays check_sparse_input just validated need no
            # second pass (0.4 ms on a 1M non-zero matrix)
            X = check_sparse_structure(X, checked=_same_csc_arrays(X, X_in))
        y = np.array(y, dtype=X.dtype, order="C", copy=True)
        if not np.all(np.isfinite(y)):  # pragma: no cover - validate_data checks
            raise ValueError("Input y contains NaN or infinity.")
        sw = validate_sample_weight(sample_weight, X, X.dtype)
        if isinstance(sample_weight, numbers.Number):
            sw = None if sample_weight > 0 else sw
        return X, y, sw

    @staticmethod
    def _center(X, y, sw, fit_intercept):
        """Weighted column means of X and mean of y (zeros without intercept).

        X is never centred in memory: kernels centre implicitly with
        ``X_offset``. Returns ``X_offset, y_offset, y_centred``.
        """
        n_features = X.shape[1]
        if not fit_intercept:
            y_offset = np.zeros(y.shape[1:], dtype=y.dtype) if y.ndim > 1 else 0.0
            return np.zeros(n_features, dtype=X.dtype), y_offset, y
        w = np.ones(X.shape[0]) if sw is None else sw.astype(np.float64)
        wsum = w.sum()
        if sp.issparse(X):
            X_offset = np.asarray(X.T @ w, dtype=np.float64) / wsum
        else:
            X_offset = (w @ X) / wsum
        y_offset = (w @ y) / wsum
        y_c = np.asarray(y - y_offset, dtype=y.dtype)
        return X_offset.astype(X.dtype), y_offset, y_c

    def _set_intercept(self, X_offset, y_offset, fit_intercept):
        if fit_intercept:
            self.intercept_ = y_offset - self.coef_ @ X_offset
            if np.ndim(self.intercept_) == 0:
                self.intercept_ = float(self.intercept_)
        else:
            self.intercept_ = (
                0.0
                if self.coef_.ndim == 1
                else np.zeros(self.coef_.shape[0], dtype=self.coef_.dtype)
            )

    def predict(self, X):
        """Predict with the fitted linear model: ``X @ coef_.T + intercept_``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_targets)
            Predicted values.
        """
        check_is_fitted(self)
        if sp.issparse(X):
            check_sparse_input(X)
        X = validate_data(
            self,
            X,
            accept_sparse=["csr", "csc", "coo"],
            dtype=self._dtypes,
            reset=False,
            accept_large_sparse=True,
        )
        return np.asarray(X @ self.coef_.T) + self.intercept_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.target_tags.multi_output = self._multi_output
        return tags
