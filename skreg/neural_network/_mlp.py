"""Multilayer perceptrons from first principles: NumPy for the bookkeeping,
Numba kernels (:mod:`skreg._kernels._mlp`) for every forward/backward pass
and optimizer update.
"""

import copy
import numbers
import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state, column_or_1d
from sklearn.utils.multiclass import check_classification_targets

from skreg import optim
from skreg._base import (
    Interval,
    StrOptions,
    _fit_context,
    check_is_fitted,
    readonly,
    validate_data,
    validate_sample_weight,
)
from skreg._kernels import _mlp as _k

__all__ = ["MLPFromScratch", "MLPClassifierFromScratch"]

_ACTIVATIONS = {
    "identity": _k.ACT_IDENTITY,
    "relu": _k.ACT_RELU,
    "tanh": _k.ACT_TANH,
    "sigmoid": _k.ACT_SIGMOID,
    "logistic": _k.ACT_SIGMOID,  # scikit-learn's name
}

# solver name -> (optimizer class, extra constructor arguments)
_SOLVERS = {
    "sgd": (optim.SGD, {}),
    "momentum": (optim.SGD, {"momentum": 0.9}),
    "nesterov": (optim.SGD, {"momentum": 0.9, "nesterov": True}),
    "adagrad": (optim.Adagrad, {}),
    "adadelta": (optim.Adadelta, {}),
    "rmsprop": (optim.RMSprop, {}),
    "adam": (optim.Adam, {}),
    "amsgrad": (optim.Adam, {"amsgrad": True}),
    "adamw": (optim.AdamW, {}),
}
_BUILTIN_OPTIMIZERS = (
    optim.SGD, optim.Adagrad, optim.Adadelta, optim.RMSprop, optim.Adam, optim.AdamW,
)


def _make_optimizer(solver, lr):
    """A fresh optimizer (never the user's object) for ``solver``."""
    if isinstance(solver, str):
        cls, kwargs = _SOLVERS[solver]
        if lr is not None:
            kwargs = {**kwargs, "lr": float(lr)}
        return cls(**kwargs)
    opt = copy.deepcopy(solver)
    if lr is not None:
        if type(opt) in _BUILTIN_OPTIMIZERS:
            opt = opt._with_lr(lr)
        else:
            opt.lr = float(lr)
    return opt.reset()


def _batches(n, batch_size, bn):
    """Batch boundaries; with batch norm a trailing single sample is merged."""
    n_batches = n // batch_size
    rem = n - n_batches * batch_size
    if rem > 0 and not (bn and rem == 1 and n_batches > 0):
        n_batches += 1
    out = []
    for b in range(n_batches):
        start = b * batch_size
        stop = n if b == n_batches - 1 else start + batch_size
        out.append((start, stop))
    return out


class _Layout:
    """Offsets of the layers' parameters in the flat vector ``theta``."""

    def __init__(self, sizes, bn):
        self.sizes = np.asarray(sizes, dtype=np.int64)
        L = len(sizes) - 1
        off = -np.ones((L, 4), dtype=np.int64)
        hoff = np.zeros(max(L - 1, 1), dtype=np.int64)
        pos = 0
        h = 0
        for layer in range(L):
            fi, fo = sizes[layer], sizes[layer + 1]
            off[layer, 0] = pos
            pos += fi * fo
            off[layer, 1] = pos
            pos += fo
            if layer < L - 1:
                hoff[layer] = h
                h += fo
                if bn:
                    off[layer, 2] = pos
                    pos += fo
                    off[layer, 3] = pos
                    pos += fo
        self.off = off
        self.hoff = hoff
        self.size = pos
        self.n_hidden_units = h
        self.bn = bn
        self.L = L

    def views(self, theta):
        """Parameter arrays as views of ``theta``: W0, b0, [g0, be0], W1, ..."""
        out = []
        s = self.sizes
        for layer in range(self.L):
            o = self.off[layer]
            fi, fo = s[layer], s[layer + 1]
            out.append(theta[o[0]:o[0] + fi * fo].reshape(fi, fo))
            out.append(theta[o[1]:o[1] + fo])
            if o[2] >= 0:
                out.append(theta[o[2]:o[2] + fo])
                out.append(theta[o[3]:o[3] + fo])
        return out


class _BaseMLP(BaseEstimator):
    """Shared implementation of the regressor and the classifier."""

    _parameter_constraints: dict = {
        "hidden_layer_sizes": [
            "array-like",
            Interval(Integral, 1, None, closed="left"),
        ],
        "activation": [StrOptions(set(_ACTIVATIONS))],
        "solver": [StrOptions(set(_SOLVERS)), optim.Optimizer],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither"), None],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "batch_size": [
            StrOptions({"auto", "full"}),
            Interval(Integral, 1, None, closed="left"),
        ],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "init": [StrOptions({"auto", "lecun", "glorot", "he"})],
        "batch_norm": ["boolean"],
        "bn_momentum": [Interval(Real, 0, 1, closed="both")],
        "bn_eps": [Interval(Real, 0, None, closed="neither")],
        "preprocessing": [StrOptions({"standardize", "whiten"}), None],
        "warm_start": ["boolean"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        learning_rate_init=None,
        alpha=1e-4,
        batch_size="auto",
        max_iter=200,
        tol=1e-4,
        n_iter_no_change=10,
        early_stopping=False,
        validation_fraction=0.1,
        shuffle=True,
        random_state=None,
        init="auto",
        batch_norm=False,
        bn_momentum=0.1,
        bn_eps=1e-5,
        preprocessing="standardize",
        warm_start=False,
        verbose=False,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.learning_rate_init = learning_rate_init
        self.alpha = alpha
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.shuffle = shuffle
        self.random_state = random_state
        self.init = init
        self.batch_norm = batch_norm
        self.bn_momentum = bn_momentum
        self.bn_eps = bn_eps
        self.preprocessing = preprocessing
        self.warm_start = warm_start
        self.verbose = verbose

    # ------------------------------------------------------------------
    # subclass hooks
    # ------------------------------------------------------------------
    def _encode_targets(self, y, first_call, classes):  # pragma: no cover
        raise NotImplementedError

    # ------------------------------------------------------------------
    # preprocessing
    # ------------------------------------------------------------------
    def _fit_preprocessing(self, X, sw):
        w = np.ones(X.shape[0]) if sw is None else sw
        wsum = w.sum()
        mean = (w @ X) / wsum
        self.input_mean_ = None
        self.input_scale_ = None
        self.whitening_matrix_ = None
        if self.preprocessing is None:
            return
        Xc = X - mean
        self.input_mean_ = mean
        if self.preprocessing == "standardize":
            scale = np.sqrt((w @ (Xc * Xc)) / wsum)
            tiny = 10 * np.finfo(np.float64).eps * np.maximum(1.0, np.abs(mean))
            scale[scale < tiny] = 1.0
            self.input_scale_ = scale
        else:  # ZCA whitening: U diag(lambda^-1/2) U^T
            cov = (Xc * w[:, None]).T @ Xc / wsum
            lam, U = np.linalg.eigh(cov)
            keep = lam > 1e-10 * max(lam.max(), 0.0)
            d = np.zeros_like(lam)
            d[keep] = 1.0 / np.sqrt(lam[keep])
            self.whitening_matrix_ = (U * d) @ U.T

    def _preprocess(self, X):
        if self.preprocessing is None or self.input_mean_ is None:
            return X
        if self.input_scale_ is not None:
            return (X - self.input_mean_) / self.input_scale_
        return (X - self.input_mean_) @ self.whitening_matrix_

    # ------------------------------------------------------------------
    # parameters
    # ------------------------------------------------------------------
    def _hidden_sizes(self):
        h = self.hidden_layer_sizes
        if not hasattr(h, "__iter__"):
            h = [h]
        h = list(h)
        if any(not isinstance(v, numbers.Integral) or v <= 0 for v in h):
            raise ValueError(f"hidden_layer_sizes must be positive integers, got {h}.")
        return [int(v) for v in h]

    def _init_params(self, layout, rng):
        theta = np.zeros(layout.size)
        act = "relu" if self.activation == "relu" else "other"
        for layer in range(layout.L):
            fi = int(layout.sizes[layer])
            fo = int(layout.sizes[layer + 1])
            hidden = layer < layout.L - 1
            scheme = self.init
            if scheme == "auto":
                scheme = "he" if (hidden and act == "relu") else "glorot"
            if scheme == "lecun":
                W = rng.standard_normal((fi, fo)) * np.sqrt(1.0 / fi)
            elif scheme == "he":
                W = rng.standard_normal((fi, fo)) * np.sqrt(2.0 / fi)
            else:
                bound = np.sqrt(6.0 / (fi + fo))
                W = rng.uniform(-bound, bound, (fi, fo))
            o = layout.off[layer]
            theta[o[0]:o[0] + fi * fo] = W.ravel()
            if o[2] >= 0:
                theta[o[2]:o[2] + fo] = 1.0
        H = layout.n_hidden_units
        return theta, np.zeros(H), np.ones(H)

    def _pack(self, layout):
        theta = np.empty(layout.size)
        views = layout.views(theta)
        i = 0
        H = layout.n_hidden_units
        rm, rv = np.zeros(H), np.ones(H)
        for layer in range(layout.L):
            views[i][...] = self.coefs_[layer]
            views[i + 1][...] = self.intercepts_[layer]
            i += 2
            if layout.off[layer, 2] >= 0:
                views[i][...] = self.bn_gammas_[layer]
                views[i + 1][...] = self.bn_betas_[layer]
                h = layout.hoff[layer]
                fo = layout.sizes[layer + 1]
                rm[h:h + fo] = self.bn_running_means_[layer]
                rv[h:h + fo] = self.bn_running_vars_[layer]
                i += 2
        return theta, rm, rv

    def _unpack(self, layout, theta, rm, rv):
        views = layout.views(theta)
        coefs, intercepts, gammas, betas, means, variances = [], [], [], [], [], []
        i = 0
        for layer in range(layout.L):
            coefs.append(views[i].copy())
            intercepts.append(views[i + 1].copy())
            i += 2
            if layout.off[layer, 2] >= 0:
                gammas.append(views[i].copy())
                betas.append(views[i + 1].copy())
                h = layout.hoff[layer]
                fo = layout.sizes[layer + 1]
                means.append(rm[h:h + fo].copy())
                variances.append(rv[h:h + fo].copy())
                i += 2
        self.coefs_ = coefs
        self.intercepts_ = intercepts
        bn = layout.bn
        self.bn_gammas_ = gammas if bn else None
        self.bn_betas_ = betas if bn else None
        self.bn_running_means_ = means if bn else None
        self.bn_running_vars_ = variances if bn else None

    def _layout_from_fitted(self):
        sizes = [self.coefs_[0].shape[0]] + [c.shape[1] for c in self.coefs_]
        return _Layout(sizes, self.bn_gammas_ is not None)

    # ------------------------------------------------------------------
    # forward pass and losses
    # ------------------------------------------------------------------
    def _forward(self, X, layout=None, theta=None, rm=None, rv=None):
        """Network output (probabilities for the classifier) for raw X."""
        if layout is None:
            layout = self._layout_from_fitted()
            theta, rm, rv = self._pack(layout)
        Xp = np.ascontiguousarray(self._preprocess(X), dtype=np.float64)
        return _k.mlp_forward(
            readonly(Xp), theta, layout.off, layout.sizes, layout.hoff,
            _ACTIVATIONS[self.activation], self._out_kind, layout.bn, rm, rv,
            float(self.bn_eps),
        )

    def _data_loss(self, out, Y, sw):
        """Weighted data loss (no penalty), same scale as the training loss."""
        w = np.ones(Y.shape[0]) if sw is None else sw
        if self._out_kind == _k.OUT_IDENTITY:
            per = 0.5 * np.mean((out - Y) ** 2, axis=1)
        else:
            tiny = np.finfo(np.float64).tiny
            if self._out_kind == _k.OUT_LOGISTIC:
                p = out[:, 0]
                y = Y[:, 0]
                per = -(y * np.log(np.maximum(p, tiny))
                        + (1 - y) * np.log(np.maximum(1 - p, tiny)))
            else:
                per = -np.sum(Y * np.log(np.maximum(out, tiny)), axis=1)
        return float(w @ per / w.sum())

    # ------------------------------------------------------------------
    # training
    # ------------------------------------------------------------------
    def _fit(self, X, y, sample_weight, incremental, classes=None):
        hidden = self._hidden_sizes()
        fitted = hasattr(self, "coefs_")
        first_call = not (incremental and fitted)
        X, y = validate_data(
            self,
            X,
            y,
            reset=first_call,
            dtype=np.float64,
            order="C",
            multi_output=self._multi_output_y,
            y_numeric=not self._is_classifier,
        )
        Y = self._encode_targets(y, first_call, classes)
        sw = validate_sample_weight(sample_weight, X, np.float64)
        n_samples = X.shape[0]

        layout = _Layout([X.shape[1], *hidden, Y.shape[1]], self.batch_norm)
        reuse = fitted and (incremental or self.warm_start)
        if reuse:
            old = self._layout_from_fitted()
            reuse = (
                old.bn == layout.bn and np.array_equal(old.sizes, layout.sizes)
            )
            if incremental and not reuse:
                raise ValueError(
                    "partial_fit cannot change the network's architecture: "
                    f"fitted with layer sizes {old.sizes.tolist()} "
                    f"(batch_norm={old.bn}), got {layout.sizes.tolist()} "
                    f"(batch_norm={layout.bn})."
                )
        rng = check_random_state(self.random_state)
        if reuse:
            theta, rm, rv = self._pack(layout)
        else:
            self._fit_preprocessing(X, sw)
            theta, rm, rv = self._init_params(layout, rng)
            self.n_iter_ = 0
            self.t_ = 0
            self.loss_curve_ = []
            self.validation_loss_curve_ = []
            self.best_loss_ = np.inf
            self.best_validation_loss_ = None
        if not (incremental and reuse and hasattr(self, "optimizer_")):
            self.optimizer_ = _make_optimizer(self.solver, self.learning_rate_init)
        opt = self.optimizer_

        # ---- data: preprocessing, validation split, weights ----
        Xp = np.ascontiguousarray(self._preprocess(X), dtype=np.float64)
        early_stopping = self.early_stopping and not incremental
        if early_stopping:
            idx_train, idx_val = self._split(n_samples, y, rng)
            X_val, Y_val = Xp[idx_val], Y[idx_val]
            sw_val = None if sw is None else sw[idx_val]
            Xp, Y = Xp[idx_train], Y[idx_train]
            sw = None if sw is None else sw[idx_train]
        n_train = Xp.shape[0]
        if sw is None:
            sw_norm = np.ones(n_train)
            wsum = float(n_train)
        else:
            wsum = float(sw.sum())
            if not wsum > 0:
                raise ValueError(
                    "The sample weights of the training samples sum to zero."
                )
            sw_norm = sw * (n_train / wsum)
        pen = float(self.alpha) / wsum

        if self.batch_size == "auto":
            batch_size = min(200, n_train)
        elif self.batch_size == "full":
            batch_size = n_train
        else:
            batch_size = int(self.batch_size)
            if batch_size > n_train:
                raise ValueError(
                    f"batch_size={batch_size} is larger than the number of "
                    f"training samples ({n_train}). Use batch_size='auto', "
                    f"'full' or an integer <= {n_train}."
                )
        if self.batch_norm and n_train < 2:
            raise ValueError(
                "batch_norm=True needs at least 2 training samples (batch "
                f"statistics of one sample are undefined), got n_samples={n_train}."
            )
        if self.batch_norm and batch_size < 2:
            raise ValueError(
                "batch_norm=True needs batches of at least 2 samples (batch "
                f"statistics of one sample are undefined), got batch_size="
                f"{batch_size}."
            )

        Xr, Yr, swr = readonly(Xp), readonly(np.ascontiguousarray(Y)), readonly(sw_norm)
        act = _ACTIVATIONS[self.activation]
        use_kernel = type(opt) in _BUILTIN_OPTIMIZERS
        max_iter = 1 if incremental else self.max_iter
        no_improvement = 0
        best_val = np.inf if self.best_validation_loss_ is None else (
            self.best_validation_loss_
        )
        best_snapshot = None
        converged = False
        for _ in range(max_iter):
            if self.shuffle:
                perm = rng.permutation(n_train).astype(np.int64)
            else:
                perm = np.arange(n_train, dtype=np.int64)
            if use_kernel:
                hp, s1, s2, s3 = opt._flat_state(layout.size)
                loss, step = _k.mlp_train_epoch(
                    Xr, Yr, swr, perm, batch_size, theta, layout.off, layout.sizes,
                    layout.hoff, act, self._out_kind, layout.bn,
                    float(self.bn_momentum), float(self.bn_eps), rm, rv, pen,
                    opt._kind, hp, s1, s2, s3, opt.n_steps,
                )
                opt.n_steps = int(step)
            else:
                loss = self._python_epoch(
                    Xp, Y, sw_norm, perm, batch_size, theta, rm, rv, layout, pen,
                    opt,
                )
            loss = float(loss)
            if not np.isfinite(loss):
                raise ValueError(
                    f"The training loss became {loss} at epoch {self.n_iter_ + 1}: "
                    "the optimization diverged. Lower learning_rate_init or "
                    "choose another solver."
                )
            self.n_iter_ += 1
            self.t_ += n_train
            self.loss_curve_.append(loss)
            msg = f"Iteration {self.n_iter_}, loss = {loss:.8f}"
            if early_stopping:
                out = self._forward_internal(X_val, layout, theta, rm, rv)
                val = self._data_loss(out, Y_val, sw_val)
                self.validation_loss_curve_.append(val)
                msg += f", validation loss = {val:.8f}"
                no_improvement = no_improvement + 1 if val > best_val - self.tol else 0
                if val < best_val:
                    best_val = val
                    self.best_validation_loss_ = val
                    best_snapshot = (theta.copy(), rm.copy(), rv.copy())
            else:
                no_improvement = (
                    no_improvement + 1 if loss > self.best_loss_ - self.tol else 0
                )
            self.best_loss_ = min(self.best_loss_, loss)
            if self.verbose:
                print(msg)
            if not incremental and no_improvement > self.n_iter_no_change:
                converged = True
                if self.verbose:
                    print(
                        f"{'Validation' if early_stopping else 'Training'} loss did "
                        f"not improve more than tol={self.tol} for "
                        f"{self.n_iter_no_change} consecutive epochs. Stopping."
                    )
                break
        if not incremental and not converged:
            warnings.warn(
                f"Stochastic optimizer: maximum iterations ({self.max_iter}) "
                "reached and the optimization hasn't converged yet.",
                ConvergenceWarning,
                stacklevel=4,
            )
        if early_stopping and best_snapshot is not None:
            theta, rm, rv = best_snapshot
        self._unpack(layout, theta, rm, rv)
        self.n_layers_ = layout.L + 1
        self.n_outputs_ = int(Y.shape[1])
        return self

    def _forward_internal(self, Xp, layout, theta, rm, rv):
        """Forward pass on already preprocessed data."""
        return _k.mlp_forward(
            readonly(np.ascontiguousarray(Xp)), theta, layout.off, layout.sizes,
            layout.hoff, _ACTIVATIONS[self.activation], self._out_kind, layout.bn,
            rm, rv, float(self.bn_eps),
        )

    def _python_epoch(self, Xp, Y, sw, perm, batch_size, theta, rm, rv, layout,
                      pen, opt):
        """One epoch with a user-defined optimizer: ``opt.step`` per batch."""
        params = layout.views(theta)
        act = _ACTIVATIONS[self.activation]
        total = 0.0
        for start, stop in _batches(perm.shape[0], batch_size, layout.bn):
            idx = perm[start:stop]
            loss, grad, bmean, bvar = _k.mlp_loss_grad(
                readonly(Xp[idx]), readonly(Y[idx]), readonly(sw[idx]), theta,
                layout.off, layout.sizes, layout.hoff, act, self._out_kind,
                layout.bn, float(self.bn_eps), pen,
            )
            if layout.bn:
                _k.bn_update_running(rm, rv, bmean, bvar, float(self.bn_momentum),
                                     stop - start)
            opt.step(params, layout.views(grad))
            total += loss * (stop - start)
        return total / perm.shape[0]

    def _split(self, n_samples, y, rng):
        n_val = int(np.ceil(self.validation_fraction * n_samples))
        n_train = n_samples - n_val
        n_classes = len(self.classes_) if self._is_classifier else 1
        need = max(2, n_classes)
        if n_val < need or n_train < need:
            raise ValueError(
                f"early_stopping=True with validation_fraction="
                f"{self.validation_fraction} splits {n_samples} samples into "
                f"{n_train} training and {n_val} validation samples; at least "
                f"{need} of each are needed. Provide more samples, change "
                "validation_fraction or set early_stopping=False."
            )
        stratify = y if self._is_classifier else None
        try:
            idx_train, idx_val = train_test_split(
                np.arange(n_samples), test_size=n_val, stratify=stratify,
                random_state=rng.randint(np.iinfo(np.int32).max),
            )
        except ValueError as exc:
            raise ValueError(
                "early_stopping=True could not make a stratified validation "
                f"split with validation_fraction={self.validation_fraction}: "
                f"{exc} Provide more samples or set early_stopping=False."
            ) from exc
        return np.sort(idx_train), np.sort(idx_val)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        tags.input_tags.allow_nan = False
        return tags


class MLPFromScratch(RegressorMixin, _BaseMLP):
    r"""Multilayer perceptron regressor written from first principles.

    A fully connected network with hidden layers of ``hidden_layer_sizes``
    units, trained by mini-batch gradient descent on half the mean squared
    error plus an L2 penalty. Every training technique of the classic deep
    learning toolbox is an option: eight optimizers (or any
    :class:`skreg.optim.Optimizer`), four initializations, batch
    normalization, input standardization or whitening, early stopping on a
    validation split, warm starts and ``partial_fit``. The forward and
    backward passes and the optimizer updates run in Numba kernels; with a
    built-in optimizer a whole epoch is one kernel call.

    Parameters
    ----------
    hidden_layer_sizes : array-like of int or int, default=(100,)
        Number of units of each hidden layer; ``()`` gives a linear model.
    activation : {"relu", "tanh", "sigmoid", "identity"}, default="relu"
        Activation of the hidden layers (``"logistic"`` is accepted as an
        alias of ``"sigmoid"``). The output layer is the identity.
    solver : str or :class:`skreg.optim.Optimizer`, default="adam"
        ``"sgd"``, ``"momentum"`` (SGD with momentum 0.9), ``"nesterov"``
        (Nesterov momentum 0.9), ``"adagrad"``, ``"adadelta"``,
        ``"rmsprop"``, ``"adam"``, ``"amsgrad"`` (Adam with
        ``amsgrad=True``), ``"adamw"``, or an optimizer object such as
        ``skreg.optim.RMSprop(lr=1e-3, centered=True)``. An object is
        deep-copied for each fit and never modified.
    learning_rate_init : float or None, default=None
        Learning rate. None uses the optimizer's own ``lr`` (PyTorch's
        default for a named solver: 1e-3 for sgd/momentum/nesterov/adam/
        amsgrad/adamw, 1e-2 for adagrad and rmsprop, 1.0 for adadelta). A
        float overrides the ``lr`` of an optimizer object too.
    alpha : float, default=1e-4
        L2 penalty on the weights (not on biases or batch-norm parameters):
        ``0.5 * alpha * sum ||W_l||^2 / sum(sample_weight)`` is added to the
        loss.
    batch_size : int, "auto" or "full", default="auto"
        Mini-batch size; ``1`` is online learning, ``"full"`` full-batch
        gradient descent, ``"auto"`` is ``min(200, n_samples)``. An integer
        larger than the number of training samples is an error.
    max_iter : int, default=200
        Maximum number of epochs (passes over the training data).
    tol : float, default=1e-4
        Training stops when the training loss (validation loss with
        ``early_stopping``) has not improved by at least ``tol`` for more
        than ``n_iter_no_change`` consecutive epochs.
    n_iter_no_change : int, default=10
        Patience, in epochs, of the stopping rule.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data, stop on the validation
        loss, and restore the weights of the epoch with the best validation
        loss.
    validation_fraction : float, default=0.1
        Fraction of the samples held out for early stopping.
    shuffle : bool, default=True
        Shuffle the training samples every epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the initialization, the validation split and the shuffling.
    init : {"auto", "lecun", "glorot", "he"}, default="auto"
        Weight initialization (biases start at zero):

        - ``"lecun"``: LeCun *normal*, :math:`N(0, 1/\text{fan\_in})`;
        - ``"glorot"``: Xavier uniform on
          :math:`\pm\sqrt{6/(\text{fan\_in} + \text{fan\_out})}`;
        - ``"he"``: He normal, :math:`N(0, 2/\text{fan\_in})`;
        - ``"auto"``: He for layers followed by a ReLU, Glorot otherwise
          (including the output layer).
    batch_norm : bool, default=False
        Batch normalization before the activation of every hidden layer:
        batch statistics (biased variance) while training, running
        statistics (unbiased variance) for prediction.
    bn_momentum : float, default=0.1
        PyTorch's momentum of the running statistics:
        ``running = (1 - bn_momentum) * running + bn_momentum * batch``.
    bn_eps : float, default=1e-5
        Added to the variance in batch normalization.
    preprocessing : {"standardize", "whiten"} or None, default="standardize"
        Input transformation learned on the first fit: per-feature
        (weighted) standardization, ZCA whitening, or none. ``coefs_[0]``
        acts on the transformed inputs. Warm starts and ``partial_fit`` keep
        the transformation of the first fit.
    warm_start : bool, default=False
        Start ``fit`` from the previous weights (a fresh optimizer, as in
        scikit-learn) when the architecture is unchanged.
    verbose : bool, default=False
        Print the loss of every epoch.

    Attributes
    ----------
    coefs_ : list of ndarray
        Weight matrices; ``coefs_[l]`` has shape ``(fan_in, fan_out)``.
    intercepts_ : list of ndarray
        Bias vectors (zero and unused for batch-normalised layers, whose
        ``bn_betas_`` play that role).
    bn_gammas_, bn_betas_ : list of ndarray or None
        Batch-norm scale and shift of each hidden layer.
    bn_running_means_, bn_running_vars_ : list of ndarray or None
        Running mean and unbiased running variance of each hidden layer's
        pre-activations.
    loss_curve_ : list of float
        Training loss (data loss plus penalty, averaged over the epoch's
        batches as in scikit-learn) of every epoch.
    validation_loss_curve_ : list of float
        Validation data loss of every epoch (empty without early stopping).
    best_loss_ : float
        Smallest training loss.
    best_validation_loss_ : float or None
        Smallest validation loss (None without early stopping).
    n_iter_ : int
        Number of epochs run.
    t_ : int
        Number of training samples seen (``n_iter_ * n_train``).
    optimizer_ : skreg.optim.Optimizer
        The optimizer used for training, with its state.
    input_mean_, input_scale_, whitening_matrix_ : ndarray or None
        The input transformation.
    n_layers_ : int
        Number of layers, input and output included.
    n_outputs_ : int
        Number of outputs.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    MLPClassifierFromScratch : The classifier twin.
    sklearn.neural_network.MLPRegressor : scikit-learn's MLP.

    Notes
    -----
    The objective over the training set is

    .. math::

        \frac{1}{\sum_i w_i} \Big( \sum_i w_i \frac{1}{2k}
        \|y_i - f(x_i)\|^2 + \frac{\alpha}{2} \sum_l \|W_l\|_F^2 \Big)

    (:math:`k` outputs): half the mean squared error, scikit-learn's scale,
    so ``loss_curve_`` compares with ``MLPRegressor.loss_curve_``. A
    mini-batch of size :math:`B` uses :math:`\frac{1}{B}\sum_{i\in
    batch}(w_i/\bar w) \ell_i` plus the same penalty, an unbiased estimate of
    the objective. scikit-learn divides the penalty by the batch's weight
    instead; both agree for full batches.

    References
    ----------
    .. [1] Goodfellow, Bengio and Courville, "Deep Learning", MIT Press 2016,
       chapters 6 and 8.
    .. [2] Ioffe and Szegedy, "Batch normalization", ICML 2015.
    .. [3] Glorot and Bengio, "Understanding the difficulty of training deep
       feedforward neural networks", AISTATS 2010; He et al., "Delving deep
       into rectifiers", ICCV 2015; LeCun et al., "Efficient BackProp", 1998.

    Examples
    --------
    >>> import numpy as np
    >>> from skreg.neural_network import MLPFromScratch
    >>> rng = np.random.default_rng(0)
    >>> X = rng.uniform(-2, 2, (500, 2))
    >>> y = np.sin(X[:, 0]) + X[:, 1] ** 2
    >>> reg = MLPFromScratch((32, 32), learning_rate_init=0.01,
    ...                      random_state=0).fit(X, y)
    >>> bool(reg.score(X, y) > 0.95)
    True
    >>> reg.n_iter_ < reg.max_iter  # stopped: no progress for 10 epochs
    True
    """

    _out_kind = _k.OUT_IDENTITY
    _is_classifier = False
    _multi_output_y = True

    def _encode_targets(self, y, first_call, classes):
        y = np.asarray(y, dtype=np.float64)
        if first_call:
            self._y_1d = y.ndim == 1
        Y = y.reshape(-1, 1) if y.ndim == 1 else y
        if not first_call and Y.shape[1] != self.n_outputs_:
            raise ValueError(
                f"y has {Y.shape[1]} outputs but the network was fitted with "
                f"{self.n_outputs_}."
            )
        return np.ascontiguousarray(Y)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the network to ``X, y`` (from scratch unless ``warm_start``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the loss.

        Returns
        -------
        self : MLPFromScratch
            The fitted estimator.
        """
        return self._fit(X, y, sample_weight, incremental=False)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """One epoch over ``X, y``, continuing from the current state.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the loss.

        Returns
        -------
        self : MLPFromScratch
            The updated estimator.
        """
        return self._fit(X, y, sample_weight, incremental=True)

    def predict(self, X):
        """Predict with the network.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predictions.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64, order="C")
        out = self._forward(X)
        return out.ravel() if self._y_1d else out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


class MLPClassifierFromScratch(ClassifierMixin, _BaseMLP):
    r"""Multilayer perceptron classifier written from first principles.

    The classifier twin of :class:`MLPFromScratch` (same parameters, same
    kernels): a logistic output unit and the binary log-loss for two
    classes, a softmax output layer and the multinomial log-loss otherwise,
    as in scikit-learn's ``MLPClassifier``.

    Parameters
    ----------
    hidden_layer_sizes : array-like of int or int, default=(100,)
        Number of units of each hidden layer.
    activation : {"relu", "tanh", "sigmoid", "identity"}, default="relu"
        Activation of the hidden layers (``"logistic"`` is an alias of
        ``"sigmoid"``).
    solver : str or :class:`skreg.optim.Optimizer`, default="adam"
        As in :class:`MLPFromScratch`.
    learning_rate_init : float or None, default=None
        Learning rate (None: the optimizer's own ``lr``).
    alpha : float, default=1e-4
        L2 penalty on the weights.
    batch_size : int, "auto" or "full", default="auto"
        Mini-batch size.
    max_iter : int, default=200
        Maximum number of epochs.
    tol : float, default=1e-4
        Tolerance of the stopping rule.
    n_iter_no_change : int, default=10
        Patience of the stopping rule, in epochs.
    early_stopping : bool, default=False
        Stop on the loss of a stratified validation split and restore the
        best weights.
    validation_fraction : float, default=0.1
        Fraction of the samples held out for early stopping.
    shuffle : bool, default=True
        Shuffle the training samples every epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the initialization, the validation split and the shuffling.
    init : {"auto", "lecun", "glorot", "he"}, default="auto"
        Weight initialization, see :class:`MLPFromScratch`.
    batch_norm : bool, default=False
        Batch normalization of the hidden layers.
    bn_momentum : float, default=0.1
        Momentum of the batch-norm running statistics (PyTorch convention).
    bn_eps : float, default=1e-5
        Added to the variance in batch normalization.
    preprocessing : {"standardize", "whiten"} or None, default="standardize"
        Input transformation learned on the first fit.
    warm_start : bool, default=False
        Start ``fit`` from the previous weights.
    verbose : bool, default=False
        Print the loss of every epoch.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    coefs_ : list of ndarray
        Weight matrices.
    intercepts_ : list of ndarray
        Bias vectors.
    bn_gammas_, bn_betas_ : list of ndarray or None
        Batch-norm scale and shift of each hidden layer.
    bn_running_means_, bn_running_vars_ : list of ndarray or None
        Batch-norm running statistics of each hidden layer.
    loss_curve_ : list of float
        Training loss (mean log-loss plus penalty) of every epoch.
    validation_loss_curve_ : list of float
        Validation log-loss of every epoch (empty without early stopping).
    best_loss_ : float
        Smallest training loss.
    best_validation_loss_ : float or None
        Smallest validation loss (None without early stopping).
    n_iter_ : int
        Number of epochs run.
    t_ : int
        Number of training samples seen.
    optimizer_ : skreg.optim.Optimizer
        The optimizer used for training, with its state.
    input_mean_, input_scale_, whitening_matrix_ : ndarray or None
        The input transformation.
    n_layers_ : int
        Number of layers, input and output included.
    n_outputs_ : int
        Number of output units (1 for two classes).
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    MLPFromScratch : The regressor.
    sklearn.neural_network.MLPClassifier : scikit-learn's MLP classifier.

    Notes
    -----
    The loss is computed from the logits (log-sum-exp), so it is exact even
    for confident predictions; its scale is the mean log-loss per sample,
    comparable with ``MLPClassifier.loss_curve_``.

    References
    ----------
    .. [1] Goodfellow, Bengio and Courville, "Deep Learning", MIT Press 2016,
       section 6.2.2.

    Examples
    --------
    >>> import numpy as np
    >>> from skreg.neural_network import MLPClassifierFromScratch
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((300, 2))
    >>> y = (X[:, 0] * X[:, 1] > 0).astype(int)
    >>> clf = MLPClassifierFromScratch((16,), learning_rate_init=0.02, tol=1e-3,
    ...                                random_state=0).fit(X, y)
    >>> bool(clf.score(X, y) > 0.9)
    True
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    """

    _is_classifier = True
    _multi_output_y = False

    @property
    def _out_kind(self):
        return _k.OUT_LOGISTIC if len(self.classes_) == 2 else _k.OUT_SOFTMAX

    def _encode_targets(self, y, first_call, classes):
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        if first_call:
            if classes is not None:
                all_classes = np.unique(np.asarray(classes))
                if not np.all(np.isin(np.unique(y), all_classes)):
                    raise ValueError(
                        f"y contains labels {np.setdiff1d(np.unique(y), all_classes)} "
                        f"that are not in classes={all_classes}."
                    )
            else:
                all_classes = np.unique(y)
            if len(all_classes) < 2:
                raise ValueError(
                    f"{type(self).__name__} needs samples of at least 2 classes "
                    "in the data, but the data contains only one class: "
                    f"{all_classes[0]}."
                )
            self.classes_ = all_classes
        else:
            if classes is not None and not np.array_equal(
                np.unique(np.asarray(classes)), self.classes_
            ):
                raise ValueError(
                    f"classes={classes} is not the same as on the first call "
                    f"to partial_fit: {self.classes_}."
                )
            unknown = np.setdiff1d(np.unique(y), self.classes_)
            if unknown.size:
                raise ValueError(
                    f"y contains labels {unknown} that are not in classes_ "
                    f"{self.classes_}."
                )
        codes = np.searchsorted(self.classes_, y)
        k = len(self.classes_)
        if k == 2:
            return codes.astype(np.float64).reshape(-1, 1)
        Y = np.zeros((y.shape[0], k))
        Y[np.arange(y.shape[0]), codes] = 1.0
        return Y

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the network to ``X, y`` (from scratch unless ``warm_start``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the loss.

        Returns
        -------
        self : MLPClassifierFromScratch
            The fitted estimator.
        """
        return self._fit(X, y, sample_weight, incremental=False)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """One epoch over ``X, y``, continuing from the current state.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the loss.
        classes : array-like of shape (n_classes,), default=None
            All the classes; required on the first call.

        Returns
        -------
        self : MLPClassifierFromScratch
            The updated estimator.
        """
        if not hasattr(self, "coefs_") and classes is None:
            raise ValueError("classes must be passed on the first call to partial_fit.")
        return self._fit(X, y, sample_weight, incremental=True, classes=classes)

    def predict_proba(self, X):
        """Class probabilities.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probability of each class, in the order of ``classes_``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64, order="C")
        out = self._forward(X)
        if out.shape[1] == 1:
            return np.hstack([1.0 - out, out])
        return out

    def predict_log_proba(self, X):
        """Logarithm of the class probabilities.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probability of each class.
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """Predict class labels.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted labels.
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]
