"""Tests of MLPFromScratch / MLPClassifierFromScratch and their kernels."""

import re
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPRegressor
from sklearn.utils.estimator_checks import parametrize_with_checks

from skreg import optim
from skreg._base import readonly
from skreg._kernels import _mlp as K
from skreg.neural_network import MLPClassifierFromScratch, MLPFromScratch
from skreg.neural_network._mlp import _Layout


# --------------------------------------------------------------------------
# scikit-learn's common checks
# --------------------------------------------------------------------------
def _expected_failed_checks(est):
    if est.batch_norm:
        return {
            "check_sample_weight_equivalence_on_dense_data": (
                "batch normalization computes unweighted batch statistics (as "
                "PyTorch does), so a repeated sample shifts the batch mean and "
                "variance while a weighted one does not"
            ),
        }
    return {}


@parametrize_with_checks(
    [
        MLPFromScratch(),
        MLPClassifierFromScratch(),
        # an optimizer object as parameter, batch normalization
        MLPFromScratch(solver=optim.RMSprop(lr=1e-3, centered=True),
                       batch_norm=True, random_state=0),
        MLPClassifierFromScratch(solver="nesterov", learning_rate_init=0.01,
                                 preprocessing="whiten", random_state=0),
    ],
    expected_failed_checks=_expected_failed_checks,
    xfail_strict=True,
)
def test_sklearn_compatible(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        check(estimator)


# --------------------------------------------------------------------------
# NumPy reference of the network (forward pass, loss)
# --------------------------------------------------------------------------
ACTS = {
    K.ACT_IDENTITY: lambda z: z,
    K.ACT_RELU: lambda z: np.maximum(z, 0),
    K.ACT_TANH: np.tanh,
    K.ACT_SIGMOID: lambda z: 1 / (1 + np.exp(-z)),
}


def np_loss(theta, layout, X, Y, sw, act, out_kind, bn, eps, pen):
    """Training-mode loss written with NumPy, straight from the definitions."""
    A = X
    L = layout.L
    sq = 0.0
    for layer in range(L):
        fi, fo = layout.sizes[layer], layout.sizes[layer + 1]
        o = layout.off[layer]
        W = theta[o[0]:o[0] + fi * fo].reshape(fi, fo)
        sq += np.sum(W**2)
        Z = A @ W
        if layer < L - 1:
            if bn:
                mu = Z.mean(axis=0)
                var = Z.var(axis=0)  # biased
                Z = (Z - mu) / np.sqrt(var + eps)
                Z = theta[o[2]:o[2] + fo] * Z + theta[o[3]:o[3] + fo]
            else:
                Z = Z + theta[o[1]:o[1] + fo]
            A = ACTS[act](Z)
        else:
            A = Z + theta[o[1]:o[1] + fo]
    B, k = Y.shape
    if out_kind == K.OUT_IDENTITY:
        data = 0.5 * np.sum(sw[:, None] * (A - Y) ** 2) / (B * k)
    elif out_kind == K.OUT_LOGISTIC:
        p = 1 / (1 + np.exp(-A))
        data = -np.sum(sw[:, None] * (Y * np.log(p) + (1 - Y) * np.log(1 - p))) / B
    else:
        P = np.exp(A - A.max(axis=1, keepdims=True))
        P /= P.sum(axis=1, keepdims=True)
        data = -np.sum(sw[:, None] * Y * np.log(P)) / B
    return data + 0.5 * pen * sq


def make_problem(out_kind, bn, seed=0, n=9, sizes=(3, 5, 4, 2)):
    rng = np.random.default_rng(seed)
    sizes = list(sizes)
    if out_kind == K.OUT_LOGISTIC:
        sizes[-1] = 1
    layout = _Layout(sizes, bn)
    theta = rng.standard_normal(layout.size) * 0.7
    for layer in range(layout.L - 1):  # gamma around 1
        o = layout.off[layer]
        if o[2] >= 0:
            theta[o[2]:o[2] + sizes[layer + 1]] += 1.0
    X = rng.standard_normal((n, sizes[0]))
    k = sizes[-1]
    if out_kind == K.OUT_IDENTITY:
        Y = rng.standard_normal((n, k))
    elif out_kind == K.OUT_LOGISTIC:
        Y = rng.integers(0, 2, (n, 1)).astype(float)
    else:
        Y = np.eye(k)[rng.integers(0, k, n)]
    sw = rng.uniform(0.5, 2.0, n)
    return layout, theta, X, Y, sw


def kernel_loss_grad(layout, theta, X, Y, sw, act, out_kind, bn, eps, pen):
    return K.mlp_loss_grad(
        readonly(X), readonly(Y), readonly(sw), theta, layout.off, layout.sizes,
        layout.hoff, act, out_kind, bn, eps, pen,
    )


ALL_ACTS = [K.ACT_IDENTITY, K.ACT_RELU, K.ACT_TANH, K.ACT_SIGMOID]
ALL_OUTS = [K.OUT_IDENTITY, K.OUT_LOGISTIC, K.OUT_SOFTMAX]


@pytest.mark.parametrize("bn", [False, True])
@pytest.mark.parametrize("out_kind", ALL_OUTS)
@pytest.mark.parametrize("act", ALL_ACTS)
def test_gradient_matches_central_differences(act, out_kind, bn):
    # every layer (two hidden + output), activation, loss and batch norm in
    # training mode (the batch statistics depend on the parameters)
    layout, theta, X, Y, sw = make_problem(out_kind, bn, seed=act + 4 * out_kind)
    eps, pen = 1e-5, 0.3
    loss, grad, _, _ = kernel_loss_grad(layout, theta, X, Y, sw, act, out_kind, bn,
                                        eps, pen)
    ref = np_loss(theta, layout, X, Y, sw, act, out_kind, bn, eps, pen)
    np.testing.assert_allclose(loss, ref, rtol=1e-12)
    h = 1e-5
    fd = np.empty_like(theta)
    for i in range(theta.size):
        tp, tm = theta.copy(), theta.copy()
        tp[i] += h
        tm[i] -= h
        lp = kernel_loss_grad(layout, tp, X, Y, sw, act, out_kind, bn, eps, pen)[0]
        lm = kernel_loss_grad(layout, tm, X, Y, sw, act, out_kind, bn, eps, pen)[0]
        fd[i] = (lp - lm) / (2 * h)
    scale = np.abs(fd).max()
    np.testing.assert_allclose(grad, fd, rtol=1e-6, atol=1e-6 * scale)
    assert np.linalg.norm(grad - fd) <= 1e-6 * np.linalg.norm(fd)
    if bn:  # batch-normalised layers ignore their bias
        for layer in range(layout.L - 1):
            o = layout.off[layer]
            assert np.all(grad[o[1]:o[1] + layout.sizes[layer + 1]] == 0.0)


def test_batchnorm_statistics_two_pass_and_running_update():
    rng = np.random.default_rng(0)
    # a large offset: E[z^2] - E[z]^2 would lose every digit of the variance
    Z = 1e8 + rng.standard_normal((50, 3))
    XH = np.empty_like(Z)
    mean, var, inv = np.empty(3), np.empty(3), np.empty(3)
    Zw = Z.copy()
    K._bn_train_forward(Zw, XH, np.ones(3), np.zeros(3), mean, var, inv, 1e-5)
    np.testing.assert_allclose(mean, Z.mean(axis=0), rtol=1e-15)
    np.testing.assert_allclose(var, Z.var(axis=0), rtol=1e-7)
    np.testing.assert_allclose(Zw, (Z - Z.mean(0)) / np.sqrt(Z.var(0) + 1e-5),
                               rtol=1e-6, atol=1e-6)
    rm, rv = np.full(3, 2.0), np.full(3, 3.0)
    K.bn_update_running(rm, rv, mean, var, 0.1, 50)
    np.testing.assert_allclose(rm, 0.9 * 2.0 + 0.1 * Z.mean(0))
    np.testing.assert_allclose(rv, 0.9 * 3.0 + 0.1 * Z.var(0, ddof=1))


def test_batchnorm_inference_uses_running_statistics():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((120, 4))
    y = X[:, 0] ** 2 + X[:, 1]
    reg = MLPFromScratch((6, 5), batch_norm=True, batch_size=32, max_iter=3,
                         random_state=0, activation="tanh")
    with pytest.warns(ConvergenceWarning):
        reg.fit(X, y)
    assert len(reg.bn_gammas_) == 2 and reg.bn_running_vars_[1].shape == (5,)
    # NumPy eval-mode forward with the fitted attributes
    A = (X - reg.input_mean_) / reg.input_scale_
    for layer in range(2):
        Z = A @ reg.coefs_[layer]
        Z = (Z - reg.bn_running_means_[layer]) / np.sqrt(
            reg.bn_running_vars_[layer] + 1e-5
        )
        A = np.tanh(reg.bn_gammas_[layer] * Z + reg.bn_betas_[layer])
    pred = A @ reg.coefs_[2] + reg.intercepts_[2]
    np.testing.assert_allclose(reg.predict(X), pred.ravel(), rtol=1e-12)
    # predictions of one sample do not depend on the other samples
    np.testing.assert_allclose(reg.predict(X[:1]), reg.predict(X)[:1], rtol=1e-14)


def test_batchnorm_running_stats_after_one_full_batch_step():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((40, 3))
    y = rng.standard_normal(40)
    reg = MLPFromScratch((4,), batch_norm=True, batch_size="full", max_iter=1,
                         preprocessing=None, random_state=3, bn_momentum=0.25)
    with pytest.warns(ConvergenceWarning):
        reg.fit(X, y)
    # the initial weights: same random_state, no training
    init = MLPFromScratch((4,), batch_norm=True, random_state=3)
    layout = _Layout([3, 4, 1], True)
    theta0, _, _ = init._init_params(layout, np.random.RandomState(3))
    Z = X @ theta0[:12].reshape(3, 4)
    np.testing.assert_allclose(reg.bn_running_means_[0], 0.25 * Z.mean(0),
                               rtol=1e-12)
    np.testing.assert_allclose(reg.bn_running_vars_[0],
                               0.75 + 0.25 * Z.var(0, ddof=1), rtol=1e-12)


# --------------------------------------------------------------------------
# agreement with scikit-learn
# --------------------------------------------------------------------------
def test_final_loss_comparable_to_sklearn():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((400, 5))
    y = np.sin(2 * X[:, 0]) + X[:, 1] * X[:, 2] + 0.1 * rng.standard_normal(400)
    common = dict(hidden_layer_sizes=(32,), learning_rate_init=0.01, batch_size=50,
                  max_iter=40, alpha=0.0, tol=0.0, n_iter_no_change=1000)
    ours, theirs = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for seed in range(5):
            # scikit-learn initialises with Glorot uniform; data already scaled
            ours.append(MLPFromScratch(**common, random_state=seed, init="glorot",
                                       preprocessing=None).fit(X, y).loss_curve_)
            theirs.append(MLPRegressor(**common, random_state=seed).fit(X, y)
                          .loss_curve_)
    ours, theirs = np.array(ours), np.array(theirs)
    assert ours.shape == theirs.shape == (5, 40)  # same number of epochs
    a, b = ours[:, -1], theirs[:, -1]
    se = np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    # same scale (0.5 * MSE) and the same level of fit, within seed noise
    assert abs(a.mean() - b.mean()) <= 4 * se + 0.1 * b.mean(), (a, b)
    # both learned: far below the variance of y
    assert a.mean() < 0.1 * 0.5 * y.var()


@pytest.mark.parametrize(
    "solver, sk_kw",
    [
        ("sgd", dict(momentum=0.0)),
        ("momentum", dict(momentum=0.9, nesterovs_momentum=False)),
        ("nesterov", dict(momentum=0.9, nesterovs_momentum=True)),
    ],
)
def test_same_trajectory_as_sklearn_from_same_weights(solver, sk_kw):
    # full batch, no shuffling, the same starting weights: scikit-learn's
    # (Nesterov) momentum equals PyTorch's with dampening 0, so the whole
    # loss curve must agree to rounding
    rng = np.random.default_rng(0)
    X = rng.standard_normal((100, 4))
    y = np.tanh(X[:, 0]) + X[:, 1] * X[:, 2]
    kw = dict(hidden_layer_sizes=(8, 5), learning_rate_init=0.05, alpha=1e-3,
              shuffle=False, tol=0.0, n_iter_no_change=1000, warm_start=True)
    ours = MLPFromScratch(solver=solver, batch_size="full", preprocessing=None,
                          activation="tanh", max_iter=1, **kw)
    theirs = MLPRegressor(solver="sgd", batch_size=100, activation="tanh",
                          max_iter=1, **sk_kw, **kw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours.fit(X, y)
        theirs.fit(X, y)
        coefs = [rng.uniform(-0.5, 0.5, c.shape) for c in ours.coefs_]
        intercepts = [rng.uniform(-0.5, 0.5, c.shape) for c in ours.intercepts_]
        for est in (ours, theirs):
            est.coefs_ = [c.copy() for c in coefs]
            est.intercepts_ = [c.copy() for c in intercepts]
            est.set_params(max_iter=30).fit(X, y)
    np.testing.assert_allclose(ours.loss_curve_[1:], theirs.loss_curve_[1:],
                               rtol=1e-11)
    for a, b in zip(ours.coefs_ + ours.intercepts_,
                    theirs.coefs_ + theirs.intercepts_, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-13)


# --------------------------------------------------------------------------
# training behaviour
# --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, (200, 3))
    y = np.sin(X[:, 0]) + 0.5 * X[:, 1] ** 2 + 0.05 * rng.standard_normal(200)
    return X, y


SOLVERS = ["sgd", "momentum", "nesterov", "adagrad", "adadelta", "rmsprop", "adam",
           "amsgrad", "adamw"]


@pytest.mark.parametrize("solver", SOLVERS)
def test_every_solver_decreases_the_loss(data, solver):
    X, y = data
    lr = {"sgd": 0.05, "momentum": 0.01, "nesterov": 0.01}.get(solver)
    reg = MLPFromScratch((16,), solver=solver, learning_rate_init=lr, max_iter=40,
                         random_state=0, batch_size=20, tol=0.0)
    with pytest.warns(ConvergenceWarning, match="maximum iterations"):
        reg.fit(X, y)
    assert reg.loss_curve_[-1] < 0.5 * reg.loss_curve_[0]
    assert reg.n_iter_ == 40 and reg.t_ == 40 * 200
    assert reg.optimizer_.n_steps == 40 * 10


def test_custom_optimizer_python_path_matches_kernel(data):
    X, y = data

    class MyAdam(optim.Adam):  # a subclass takes the Python step() path
        calls = 0

        def step(self, params, grads):
            MyAdam.calls += 1
            return super().step(params, grads)

    kw = dict(hidden_layer_sizes=(8, 6), max_iter=5, random_state=0, batch_size=32,
              batch_norm=True, tol=0.0)
    solver = MyAdam(lr=0.01, amsgrad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        a = MLPFromScratch(solver=solver, **kw).fit(X, y)
        b = MLPFromScratch(solver="amsgrad", learning_rate_init=0.01, **kw).fit(X, y)
    assert MyAdam.calls == 5 * 7  # 200 = 6 * 32 + 8: 7 batches per epoch
    np.testing.assert_allclose(a.loss_curve_, b.loss_curve_, rtol=1e-10)
    np.testing.assert_allclose(a.predict(X), b.predict(X), rtol=1e-9, atol=1e-12)
    for ca, cb in zip(a.coefs_, b.coefs_, strict=True):
        np.testing.assert_allclose(ca, cb, rtol=1e-9, atol=1e-12)
    # the user's optimizer is never touched
    assert solver.state is None and solver.n_steps == 0
    assert a.optimizer_ is not solver and a.optimizer_.n_steps == 35


def test_optimizer_is_a_parameter_object(data):
    # clone builds a fresh optimizer from its hyperparameters; nested
    # parameters can be set (and tuned by a grid search)
    from sklearn.base import clone

    X, y = data
    reg = MLPFromScratch((4,), solver=optim.Adam(lr=0.01, amsgrad=True), max_iter=2)
    assert reg.get_params()["solver__lr"] == 0.01
    reg.set_params(solver__lr=0.02)
    assert reg.solver.lr == 0.02
    c = clone(reg)
    assert c.solver is not reg.solver and c.solver.get_params() == (
        reg.solver.get_params()
    )
    with pytest.raises(ValueError, match="Invalid beta parameter at index 0"):
        reg.set_params(solver__betas=(1.5, 0.9))
    with pytest.raises(ValueError, match="Invalid parameter 'momentum' for optimizer"):
        reg.solver.set_params(momentum=0.9)


def test_optimizer_instance_and_learning_rate_override(data):
    X, y = data
    solver = optim.RMSprop(lr=0.1, centered=True)
    kw = dict(hidden_layer_sizes=(8,), max_iter=3, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg = MLPFromScratch(solver=solver, learning_rate_init=0.003, **kw).fit(X, y)
    assert reg.optimizer_.lr == 0.003 and reg.optimizer_.centered
    assert solver.lr == 0.1 and solver.state is None
    assert reg.get_params()["solver"] is solver


def test_early_stopping_restores_best_weights(data):
    X, y = data
    reg = MLPFromScratch((32,), learning_rate_init=0.05, early_stopping=True,
                         validation_fraction=0.25, n_iter_no_change=3, max_iter=300,
                         random_state=0, batch_size=10)
    reg.fit(X, y)
    curve = reg.validation_loss_curve_
    assert len(curve) == reg.n_iter_ == len(reg.loss_curve_) < 300
    assert reg.best_validation_loss_ == min(curve)
    best_epoch = int(np.argmin(curve))
    # stopped after n_iter_no_change + 1 epochs without an improvement >= tol
    assert 1 <= reg.n_iter_ - 1 - best_epoch <= reg.n_iter_no_change + 1
    assert all(v > min(curve) - reg.tol for v in curve[best_epoch + 1:])


def test_early_stopping_validation_loss_of_returned_model(data):
    X, y = data
    kw = dict(hidden_layer_sizes=(16,), learning_rate_init=0.05, early_stopping=True,
              validation_fraction=0.5, n_iter_no_change=2, max_iter=200,
              random_state=1, batch_size=10, alpha=0.0)
    reg = MLPFromScratch(**kw).fit(X, y)
    # the restored model's loss on the held-out half equals the best
    # validation loss; find the held-out half by matching the recorded loss
    from sklearn.model_selection import train_test_split

    rng = np.random.RandomState(1)
    rng.standard_normal((3, 16))  # init draws: He for the hidden layer
    rng.uniform(-1, 1, (16, 1))  # Glorot for the output layer
    seed = rng.randint(np.iinfo(np.int32).max)
    _, idx_val = train_test_split(np.arange(200), test_size=100, random_state=seed)
    pred = reg.predict(X[idx_val])
    val = 0.5 * np.mean((pred - y[idx_val]) ** 2)
    np.testing.assert_allclose(val, reg.best_validation_loss_, rtol=1e-10)


def test_convergence_without_warning(data):
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        reg = MLPFromScratch((8,), learning_rate_init=0.01, tol=1e-2, max_iter=500,
                             random_state=0).fit(X, y)
    assert reg.n_iter_ < 500
    assert reg.best_loss_ == min(reg.loss_curve_)


def test_partial_fit_equals_fit_without_shuffle(data):
    X, y = data
    kw = dict(hidden_layer_sizes=(8,), random_state=0, shuffle=False, batch_size=50)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        full = MLPFromScratch(max_iter=4, tol=0.0, **kw).fit(X, y)
    inc = MLPFromScratch(**kw)
    for _ in range(4):
        inc.partial_fit(X, y)
    np.testing.assert_allclose(inc.loss_curve_, full.loss_curve_, rtol=1e-12)
    np.testing.assert_allclose(inc.predict(X), full.predict(X), rtol=1e-12)
    assert inc.optimizer_.n_steps == 16 and inc.n_iter_ == 4


def test_warm_start_continues(data):
    X, y = data
    kw = dict(hidden_layer_sizes=(8,), random_state=0, max_iter=5, tol=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg = MLPFromScratch(warm_start=True, **kw).fit(X, y)
        first = [c.copy() for c in reg.coefs_]
        reg.fit(X, y)
        cold = MLPFromScratch(**kw).fit(X, y)
    assert reg.n_iter_ == 10 and len(reg.loss_curve_) == 10
    assert reg.loss_curve_[5] < reg.loss_curve_[0]
    assert not np.allclose(reg.coefs_[0], first[0])
    np.testing.assert_allclose(cold.coefs_[0], first[0])


def test_sample_weight_repetition_equivalence_full_batch(data):
    X, y = data
    X, y = X[:60], y[:60]
    w = np.random.default_rng(0).integers(0, 3, 60)
    kw = dict(hidden_layer_sizes=(8,), random_state=0, batch_size="full", max_iter=30,
              tol=0.0, learning_rate_init=0.01)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        a = MLPFromScratch(**kw).fit(X, y, sample_weight=w)
        b = MLPFromScratch(**kw).fit(np.repeat(X, w, axis=0), np.repeat(y, w))
    np.testing.assert_allclose(a.loss_curve_, b.loss_curve_, rtol=1e-9)
    np.testing.assert_allclose(a.predict(X), b.predict(X), rtol=1e-8)


def test_whitening_and_standardization(data):
    X, y = data
    rng = np.random.default_rng(0)
    Xc = X @ rng.standard_normal((3, 3)) + 5.0  # correlated, shifted features
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        w = MLPFromScratch((4,), preprocessing="whiten", max_iter=1,
                           random_state=0).fit(Xc, y)
        s = MLPFromScratch((4,), max_iter=1, random_state=0).fit(Xc, y)
        n = MLPFromScratch((4,), preprocessing=None, max_iter=1,
                           random_state=0).fit(Xc, y)
    Z = w._preprocess(Xc)
    np.testing.assert_allclose(np.cov(Z.T, bias=True), np.eye(3), atol=1e-10)
    Z = s._preprocess(Xc)
    np.testing.assert_allclose(Z.mean(0), 0, atol=1e-12)
    np.testing.assert_allclose(Z.std(0), 1, rtol=1e-12)
    assert n.input_mean_ is None and n._preprocess(Xc) is Xc


@pytest.mark.parametrize(
    "init, dist, std",
    [
        ("lecun", "normal", lambda fi, fo: np.sqrt(1 / fi)),
        ("he", "normal", lambda fi, fo: np.sqrt(2 / fi)),
        ("glorot", "uniform", lambda fi, fo: np.sqrt(6 / (fi + fo)) / np.sqrt(3)),
    ],
)
def test_initialization_schemes(init, dist, std):
    est = MLPFromScratch((300,), init=init)
    layout = _Layout([200, 300, 1], False)
    theta, _, _ = est._init_params(layout, np.random.RandomState(0))
    W = theta[:200 * 300].reshape(200, 300)
    np.testing.assert_allclose(W.std(), std(200, 300), rtol=0.01)
    assert abs(W.mean()) < 0.01 * std(200, 300) * 10
    if dist == "uniform":
        assert np.abs(W).max() <= np.sqrt(6 / 500)
    else:  # normal: kurtosis 3
        kurt = np.mean((W / W.std()) ** 4)
        assert abs(kurt - 3) < 0.1
    assert np.all(theta[200 * 300:200 * 300 + 300] == 0)  # biases


def test_auto_init_is_he_for_relu_glorot_otherwise():
    layout = _Layout([400, 400, 1], False)
    for act, expected in [("relu", np.sqrt(2 / 400)), ("tanh", np.sqrt(2 / 800))]:
        est = MLPFromScratch((400,), activation=act)
        theta, _, _ = est._init_params(layout, np.random.RandomState(0))
        np.testing.assert_allclose(theta[:160000].std(), expected, rtol=0.01)


def test_classifier_binary_and_multiclass():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 2))
    y3 = np.array(["a", "b", "c"])[np.digitize(X[:, 0] + X[:, 1], [-0.7, 0.7])]
    y2 = np.where(X[:, 0] * X[:, 1] > 0, "yes", "no")
    for y, k in [(y2, 2), (y3, 3)]:
        clf = MLPClassifierFromScratch((16,), learning_rate_init=0.02, max_iter=100,
                                       random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(X, y)
        P = clf.predict_proba(X)
        assert P.shape == (300, k)
        np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-12)
        assert clf.score(X, y) > 0.9
        assert clf.n_outputs_ == (1 if k == 2 else k)
        # the training loss is the mean log-loss (plus a tiny penalty)
        ll = -np.mean(np.log(P[np.arange(300), np.searchsorted(clf.classes_, y)]))
        assert ll < clf.loss_curve_[0]
        np.testing.assert_allclose(np.exp(clf.predict_log_proba(X)), P)


def test_classifier_partial_fit():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((100, 2))
    y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0)
    clf = MLPClassifierFromScratch((8,), random_state=0)
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        clf.partial_fit(X, y)
    clf.partial_fit(X[:50], y[:50], classes=[0, 1, 2])
    clf.partial_fit(X[50:], y[50:])
    assert clf.n_iter_ == 2 and list(clf.classes_) == [0, 1, 2]
    with pytest.raises(ValueError, match=r"y contains labels \[7\]"):
        clf.partial_fit(X[:3], [0, 1, 7])


def test_verbose_prints(data, capsys):
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        MLPFromScratch((4,), max_iter=2, verbose=True, random_state=0).fit(X, y)
    out = capsys.readouterr().out
    assert re.search(r"Iteration 1, loss = \d+\.\d{8}", out)
    assert "Iteration 2" in out


def test_multioutput_regression(data):
    X, y = data
    Y = np.column_stack([y, -2 * y])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg = MLPFromScratch((16,), max_iter=50, learning_rate_init=0.01,
                             random_state=0).fit(X, Y)
    assert reg.predict(X).shape == (200, 2)
    assert reg.score(X, Y) > 0.8
    # the loss is half the mean squared error over samples and outputs
    P = reg.predict(X)
    assert 0.5 * np.mean((P - Y) ** 2) < reg.loss_curve_[0]


# --------------------------------------------------------------------------
# bad input and bad settings
# --------------------------------------------------------------------------
def test_errors(data):
    X, y = data
    with pytest.raises(ValueError, match="The 'solver' parameter"):
        MLPFromScratch(solver="lbfgs").fit(X, y)
    with pytest.raises(ValueError, match="The 'activation' parameter"):
        MLPFromScratch(activation="softplus").fit(X, y)
    with pytest.raises(ValueError, match=r"batch_size=500 is larger than the number "
                       r"of training samples \(200\)"):
        MLPFromScratch(batch_size=500).fit(X, y)
    with pytest.raises(ValueError, match=r"batch_size=190 is larger than the number "
                       r"of training samples \(180\)"):
        MLPFromScratch(batch_size=190, early_stopping=True).fit(X, y)
    with pytest.raises(ValueError, match="early_stopping=True with validation_fraction"
                       "=0.1 splits 5 samples into 4 training and 1 validation"):
        MLPFromScratch(early_stopping=True).fit(X[:5], y[:5])
    with pytest.raises(ValueError, match="stratified validation split"):
        MLPClassifierFromScratch(early_stopping=True, validation_fraction=0.2).fit(
            X[:20], np.r_[np.zeros(19), 1]
        )
    Xn = X.copy()
    Xn[3, 1] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN"):
        MLPFromScratch().fit(Xn, y)
    yn = y.copy()
    yn[0] = np.inf
    with pytest.raises(ValueError, match="Input y contains infinity"):
        MLPFromScratch().fit(X, yn)
    with pytest.raises(ValueError, match="only one class: 1"):
        MLPClassifierFromScratch().fit(X, np.ones(200, dtype=int))
    with pytest.raises(ValueError, match="batch_norm=True needs batches of at least 2"):
        MLPFromScratch(batch_norm=True, batch_size=1).fit(X, y)
    with pytest.raises(ValueError, match="needs at least 2 training samples"):
        MLPFromScratch(batch_norm=True).fit(X[:1], y[:1])
    with pytest.raises(ValueError, match="hidden_layer_sizes must be positive"):
        MLPFromScratch(hidden_layer_sizes=(10, 0)).fit(X, y)
    with pytest.raises(ValueError, match="the optimization diverged"):
        MLPFromScratch(solver="sgd", learning_rate_init=1e3, max_iter=50).fit(
            X, y * 1e3
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg = MLPFromScratch((4,), max_iter=1).fit(X, y)
    with pytest.raises(ValueError, match="X has 2 features, but MLPFromScratch is "
                       "expecting 3 features"):
        reg.predict(X[:, :2])
    with pytest.raises(ValueError, match="partial_fit cannot change the network"):
        reg.set_params(hidden_layer_sizes=(5,)).partial_fit(X, y)


def test_online_and_batchnorm_trailing_single_sample(data):
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg = MLPFromScratch((4,), batch_size=1, max_iter=2, random_state=0).fit(X, y)
        assert reg.optimizer_.n_steps == 400
        # 201 = 4 * 50 + 1: the single trailing sample joins the last batch
        bn = MLPFromScratch((4,), batch_norm=True, batch_size=50, max_iter=1,
                            random_state=0).fit(np.r_[X, X[:1]], np.r_[y, y[:1]])
        assert bn.optimizer_.n_steps == 4
    assert np.all(np.isfinite(bn.bn_running_vars_[0]))


def test_user_data_not_modified(data):
    X, y = data
    X = X.copy()
    X.setflags(write=False)
    y = y.copy()
    y.setflags(write=False)
    w = np.ones(200)
    w.setflags(write=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        MLPFromScratch((4,), max_iter=2, preprocessing=None).fit(X, y, sample_weight=w)
