"""Figures of the MLP user guide: optimizers, initialization, batch
normalization and early stopping, each computed by
:class:`~skreg.neural_network.MLPFromScratch` on a small synthetic problem.

matplotlib is imported inside the functions, never at module import.
"""

import warnings

import numpy as np

from skreg.plotting._utils import import_pyplot

__all__ = [
    "plot_optimizer_comparison",
    "plot_init_activation_stats",
    "plot_batchnorm_effect",
    "plot_early_stopping",
]

# learning rates that work for standardised inputs on the toy problem
DEFAULT_LEARNING_RATES = {
    "sgd": 0.05,
    "momentum": 0.01,
    "nesterov": 0.01,
    "adagrad": 0.05,
    "adadelta": 1.0,
    "rmsprop": 1e-3,
    "adam": 1e-3,
    "amsgrad": 1e-3,
    "adamw": 1e-3,
}


def _toy_regression(n_samples=600, n_features=5, noise=0.1, random_state=0):
    """A smooth nonlinear regression problem: sin, a product and noise."""
    rng = np.random.default_rng(random_state)
    X = rng.uniform(-2, 2, (n_samples, n_features))
    y = np.sin(2 * X[:, 0]) + X[:, 1] * X[:, 2] + noise * rng.standard_normal(
        n_samples
    )
    return X, y


def _fit_quiet(est, X, y):
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(X, y)


def plot_optimizer_comparison(X=None, y=None, *, solvers=None, learning_rates=None,
                              hidden_layer_sizes=(32, 32), max_iter=60,
                              batch_size=32, random_state=0):
    """Training-loss curves of every optimizer on the same problem.

    Every solver starts from the same initial weights (same
    ``random_state``) and sees the same mini-batches.

    Parameters
    ----------
    X, y : array-like, default=None
        Training data; None uses a small synthetic regression problem
        (600 samples, 5 features).
    solvers : list of str, default=None
        Solver names (see :class:`~skreg.neural_network.MLPFromScratch`);
        None means all nine.
    learning_rates : dict, default=None
        Learning rate per solver; missing solvers use
        ``DEFAULT_LEARNING_RATES`` (values that work on standardised data).
    hidden_layer_sizes : tuple of int, default=(32, 32)
        Architecture.
    max_iter : int, default=60
        Number of epochs.
    batch_size : int, default=32
        Mini-batch size.
    random_state : int, default=0
        Seed of the data, the initialization and the shuffling.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure.

    See Also
    --------
    skreg.optim : The optimizers.

    Examples
    --------
    >>> from skreg.plotting import plot_optimizer_comparison
    >>> fig = plot_optimizer_comparison(solvers=["sgd", "adam"], max_iter=5)
    >>> len(fig.axes[0].lines)
    2
    """
    from skreg.neural_network import MLPFromScratch

    plt = import_pyplot()
    if X is None:
        X, y = _toy_regression(random_state=random_state)
    solvers = list(DEFAULT_LEARNING_RATES) if solvers is None else list(solvers)
    rates = {**DEFAULT_LEARNING_RATES, **(learning_rates or {})}
    fig, ax = plt.subplots(figsize=(7, 4.5))
    styles = ["-", "--", "-.", ":"]
    for i, solver in enumerate(solvers):
        est = MLPFromScratch(hidden_layer_sizes, solver=solver,
                             learning_rate_init=rates[solver], max_iter=max_iter,
                             batch_size=batch_size, tol=0.0,
                             n_iter_no_change=max_iter + 1,
                             random_state=random_state)
        _fit_quiet(est, X, y)
        ax.plot(np.arange(1, len(est.loss_curve_) + 1), est.loss_curve_,
                linestyle=styles[i % len(styles)], color=f"C{i}",
                label=f"{solver} (lr={rates[solver]:g})")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("training loss (0.5 MSE)")
    ax.set_title(f"Optimizers on the same problem, hidden={tuple(hidden_layer_sizes)}")
    ax.legend(fontsize="small", ncol=2)
    fig.tight_layout()
    return fig


def plot_init_activation_stats(*, n_layers=10, width=256,
                               inits=("lecun", "glorot", "he"),
                               activations=("tanh", "relu"), n_samples=1000,
                               random_state=0):
    """Standard deviation of the activations, layer by layer, at initialization.

    A deep, untrained network is fed standard-normal inputs; for each
    activation function and each initialization the figure shows how the
    spread of the activations evolves with depth. Glorot/LeCun keep it
    stable for tanh, He for ReLU; the wrong pairing makes it vanish (or
    explode) geometrically.

    Parameters
    ----------
    n_layers : int, default=10
        Number of hidden layers.
    width : int, default=256
        Units per hidden layer.
    inits : tuple of str, default=("lecun", "glorot", "he")
        Initializations to compare.
    activations : tuple of str, default=("tanh", "relu")
        One panel per activation.
    n_samples : int, default=1000
        Number of input samples.
    random_state : int, default=0
        Seed of the inputs and the weights.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure.

    See Also
    --------
    skreg.neural_network.MLPFromScratch : Its ``init`` parameter.

    Examples
    --------
    >>> from skreg.plotting import plot_init_activation_stats
    >>> fig = plot_init_activation_stats(n_layers=3, width=16, n_samples=50)
    >>> len(fig.axes)
    2
    """
    from skreg.neural_network import MLPFromScratch
    from skreg.neural_network._mlp import _Layout

    plt = import_pyplot()
    rng = np.random.default_rng(random_state)
    X = rng.standard_normal((n_samples, width))
    funcs = {
        "identity": lambda z: z,
        "relu": lambda z: np.maximum(z, 0.0),
        "tanh": np.tanh,
        "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
        "logistic": lambda z: 1.0 / (1.0 + np.exp(-z)),
    }
    sizes = [width] * (n_layers + 1) + [1]
    layout = _Layout(sizes, False)
    fig, axes = plt.subplots(1, len(activations), figsize=(4.5 * len(activations), 4),
                             squeeze=False)
    for ax, act in zip(axes[0], activations, strict=True):
        for j, init in enumerate(inits):
            est = MLPFromScratch((width,) * n_layers, activation=act, init=init)
            theta, _, _ = est._init_params(layout, np.random.RandomState(random_state))
            W = layout.views(theta)[0::2]
            A = X
            stds = []
            for layer in range(n_layers):
                A = funcs[act](A @ W[layer])
                stds.append(A.std())
            ax.plot(np.arange(1, n_layers + 1), stds, marker="o", color=f"C{j}",
                    label=init)
        ax.set_yscale("log")
        ax.set_xlabel("hidden layer")
        ax.set_ylabel("std of the activations")
        ax.set_title(f"{act}, width {width}")
        ax.legend()
    fig.tight_layout()
    return fig


def plot_batchnorm_effect(X=None, y=None, *, hidden_layer_sizes=(32, 32, 32, 32, 32),
                          configs=(("sigmoid", "sgd", 0.1), ("relu", "adam", 1e-2)),
                          max_iter=40, batch_size=50, random_state=0):
    """Training loss with and without batch normalization.

    One panel per ``(activation, solver, learning rate)`` configuration, two
    curves each (``batch_norm=False/True``), plus the loss of the final
    model in inference mode (running statistics) as a dotted line: the
    training loss of a batch-normalised network is measured with noisy
    batch statistics.

    Parameters
    ----------
    X, y : array-like, default=None
        Training data; None uses a small synthetic regression problem.
    hidden_layer_sizes : tuple of int, default=(32, 32, 32, 32, 32)
        A deep architecture, where batch normalization matters most.
    configs : tuple of (str, str, float), default=(("sigmoid", "sgd", 0.1), \
("relu", "adam", 1e-2))
        ``(activation, solver, learning_rate_init)`` per panel.
    max_iter : int, default=40
        Number of epochs.
    batch_size : int, default=50
        Mini-batch size.
    random_state : int, default=0
        Seed.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure.

    Examples
    --------
    >>> from skreg.plotting import plot_batchnorm_effect
    >>> fig = plot_batchnorm_effect(max_iter=3, hidden_layer_sizes=(8, 8))
    >>> len(fig.axes)
    2
    """
    from skreg.neural_network import MLPFromScratch

    plt = import_pyplot()
    if X is None:
        X, y = _toy_regression(n_samples=1000, random_state=random_state)
    fig, axes = plt.subplots(1, len(configs), figsize=(4.8 * len(configs), 4),
                             squeeze=False)
    for ax, (act, solver, lr) in zip(axes[0], configs, strict=True):
        for j, bn in enumerate([False, True]):
            est = MLPFromScratch(hidden_layer_sizes, activation=act, solver=solver,
                                 learning_rate_init=lr, batch_norm=bn,
                                 batch_size=batch_size, max_iter=max_iter, tol=0.0,
                                 n_iter_no_change=max_iter + 1,
                                 random_state=random_state)
            _fit_quiet(est, X, y)
            label = "batch norm" if bn else "no batch norm"
            ax.plot(np.arange(1, len(est.loss_curve_) + 1), est.loss_curve_,
                    color=f"C{j}", label=f"{label} (training)")
            final = 0.5 * np.mean((est.predict(X) - y) ** 2)
            ax.axhline(final, color=f"C{j}", linestyle=":",
                       label=f"{label}: final model, inference")
        ax.set_yscale("log")
        ax.set_xlabel("epoch")
        ax.set_ylabel("training loss (0.5 MSE)")
        ax.set_title(f"{len(hidden_layer_sizes)} x {act}, {solver} lr={lr:g}")
        ax.legend(fontsize="small")
    fig.tight_layout()
    return fig


def plot_early_stopping(X=None, y=None, *, hidden_layer_sizes=(64, 64),
                        n_iter_no_change=10, max_iter=150, learning_rate_init=1e-3,
                        validation_fraction=0.3, random_state=0):
    """Training and validation loss curves, and where early stopping stops.

    The network is trained for ``max_iter`` epochs on a small noisy problem
    (it overfits) while the validation loss is recorded; the figure marks
    the epoch of the best validation loss (whose weights early stopping
    restores) and the epoch at which the rule "no improvement for more than
    ``n_iter_no_change`` epochs" stops training.

    Parameters
    ----------
    X, y : array-like, default=None
        Training data; None uses 120 noisy samples of a synthetic problem.
    hidden_layer_sizes : tuple of int, default=(64, 64)
        A large network for 84 training samples, prone to overfitting.
    n_iter_no_change : int, default=10
        Patience of the stopping rule.
    max_iter : int, default=150
        Number of epochs run for the figure.
    learning_rate_init : float, default=1e-3
        Adam's learning rate.
    validation_fraction : float, default=0.3
        Fraction of the samples held out.
    random_state : int, default=0
        Seed.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure.

    Examples
    --------
    >>> from skreg.plotting import plot_early_stopping
    >>> fig = plot_early_stopping(max_iter=15, hidden_layer_sizes=(8,))
    >>> len(fig.axes[0].lines) >= 2
    True
    """
    from skreg.neural_network import MLPFromScratch

    plt = import_pyplot()
    if X is None:
        X, y = _toy_regression(n_samples=120, noise=0.5, random_state=random_state)
    # patience larger than max_iter: the full curves, then apply the rule
    est = MLPFromScratch(hidden_layer_sizes, learning_rate_init=learning_rate_init,
                         early_stopping=True, validation_fraction=validation_fraction,
                         n_iter_no_change=max_iter + 1, max_iter=max_iter, alpha=0.0,
                         batch_size=16, random_state=random_state)
    _fit_quiet(est, X, y)
    train = np.asarray(est.loss_curve_)
    val = np.asarray(est.validation_loss_curve_)
    epochs = np.arange(1, len(train) + 1)
    best, count, stop = np.inf, 0, len(val)
    for i, v in enumerate(val):  # the estimator's stopping rule, replayed
        count = count + 1 if v > best - est.tol else 0
        best = min(best, v)
        if count > n_iter_no_change:
            stop = i + 1
            break
    best_epoch = int(np.argmin(val[:stop])) + 1
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(epochs, train, label="training loss")
    ax.plot(epochs, val, label="validation loss")
    ax.axvline(best_epoch, color="C2", linestyle="--",
               label=f"best validation loss (epoch {best_epoch}): restored")
    ax.axvline(stop, color="C3", linestyle=":",
               label=f"stop: no improvement for {n_iter_no_change} epochs "
                     f"(epoch {stop})")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss (0.5 MSE)")
    ax.set_title("Early stopping on a validation split")
    ax.legend(fontsize="small")
    fig.tight_layout()
    return fig
