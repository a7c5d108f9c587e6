"""Gradient-descent optimizers with PyTorch's parameters and update rules.

Each optimizer is a small object: the constructor takes
:mod:`torch.optim`'s parameter names and defaults, and
``step(params, grads)`` updates a list of NumPy arrays in place with exactly
the update rule documented by PyTorch (for ``maximize=False``,
``foreach``/``fused`` irrelevant). The arithmetic runs in a Numba kernel
(:func:`skreg._kernels._mlp.optim_update`), the same one
:class:`~skreg.neural_network.MLPFromScratch` calls inside its per-epoch
training kernel.

The optimizer keeps its state (momentum buffers, running averages, the step
count) between calls; :meth:`Optimizer.reset` forgets it. The estimators never
modify an optimizer passed as ``solver``: they train a deep copy, exposed as
the fitted attribute ``optimizer_``.

Examples
--------
>>> import numpy as np
>>> from skreg.optim import Adam
>>> w = np.array([1.0, -2.0])
>>> opt = Adam(lr=0.1)
>>> for _ in range(200):
...     opt.step([w], [2 * w])  # gradient of ||w||^2
>>> bool(np.all(np.abs(w) < 0.05))
True
"""

import inspect

import numpy as np

from skreg._base import readonly
from skreg._kernels import _mlp as _k

__all__ = ["Optimizer", "SGD", "Adagrad", "Adadelta", "RMSprop", "Adam", "AdamW"]

_EMPTY = np.empty(0)


def _check(cond, msg):
    if not cond:
        raise ValueError(msg)


class Optimizer:
    """Base class of skreg's optimizers.

    Subclasses set ``_kind`` (the kernel's optimizer code), ``_state_names``
    (PyTorch's names of the per-parameter state, in the kernel's slot order)
    and implement ``_hyper`` (the kernel's hyperparameter vector).

    Attributes
    ----------
    state : list of dict or None
        Per-parameter state arrays, keyed by PyTorch's state names
        (e.g. ``"exp_avg"``); None before the first step.
    n_steps : int
        Number of steps taken (PyTorch's ``state["step"]``).
    """

    _kind = None
    _state_names = ()

    def __init__(self):  # pragma: no cover - subclasses define their own
        self.state = None
        self.n_steps = 0

    # -- parameters -------------------------------------------------------
    @classmethod
    def _param_names(cls):
        sig = inspect.signature(cls.__init__)
        return [p for p in sig.parameters if p != "self"]

    def get_params(self, deep=True):
        """Hyperparameters as a dict (the constructor arguments).

        With :meth:`set_params`, this makes an optimizer a scikit-learn
        style parameter object: ``clone`` of an estimator builds a fresh
        optimizer (without state) from these, and ``solver__lr`` can be
        tuned by a grid search.

        Parameters
        ----------
        deep : bool, default=True
            Ignored (an optimizer has no nested objects).

        Returns
        -------
        params : dict
            Hyperparameter names mapped to their values.
        """
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params):
        """Set hyperparameters (validated as in the constructor).

        Parameters
        ----------
        **params : dict
            Hyperparameter names and values.

        Returns
        -------
        self : Optimizer
            The optimizer.
        """
        names = self._param_names()
        for key in params:
            if key not in names:
                raise ValueError(
                    f"Invalid parameter {key!r} for optimizer "
                    f"{type(self).__name__}. Valid parameters are: {names}."
                )
        checked = type(self)(**{**self.get_params(), **params})  # validation
        for key in params:
            setattr(self, key, getattr(checked, key))
        return self

    def __repr__(self):
        sig = inspect.signature(type(self).__init__)
        items = []
        for name in self._param_names():
            value = getattr(self, name)
            if value != sig.parameters[name].default:
                items.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(items)})"

    def _with_lr(self, lr):
        params = self.get_params()
        params["lr"] = float(lr)
        return type(self)(**params)

    # -- state ------------------------------------------------------------
    def reset(self):
        """Forget the state (momentum buffers, averages, step count).

        Returns
        -------
        self : Optimizer
            The optimizer, with no state.
        """
        self.state = None
        self.n_steps = 0
        return self

    def _new_state(self, shape):
        return {name: np.zeros(shape) for name in self._state_names}

    def _slots(self, st):
        slots = [st[name] for name in self._state_names]
        slots += [_EMPTY] * (3 - len(slots))
        return slots

    def _flat_state(self, size):
        """State of a single flat parameter vector of length ``size``.

        Used by the estimators' per-epoch kernel, which treats all network
        parameters as one vector. Returns ``hp, s1, s2, s3``.
        """
        if self.state is None:
            self.state = [self._new_state((size,))]
        if len(self.state) != 1 or self.state[0][self._state_names[0]].shape != (
            size,
        ):
            raise ValueError("The optimizer state does not match the network.")
        return (self._hyper(), *self._slots(self.state[0]))

    def step(self, params, grads):
        """Update ``params`` in place by one step of the optimizer.

        Parameters
        ----------
        params : list of ndarray
            Parameters: writable, C-contiguous float64 arrays, updated in
            place. Their shapes must not change between steps.
        grads : list of array-like
            Gradients of the objective with respect to ``params`` (same
            shapes). Not modified.

        Returns
        -------
        None
        """
        params = list(params)
        grads = list(grads)
        if len(params) != len(grads):
            raise ValueError(
                f"Got {len(params)} parameter arrays but {len(grads)} gradients."
            )
        for p in params:
            if not (
                isinstance(p, np.ndarray)
                and p.dtype == np.float64
                and p.flags.c_contiguous
                and p.flags.writeable
            ):
                raise TypeError(
                    "Parameters must be writable C-contiguous float64 NumPy "
                    "arrays (they are updated in place)."
                )
        gs = []
        for p, g in zip(params, grads, strict=True):
            g = np.ascontiguousarray(g, dtype=np.float64)
            if g.shape != p.shape:
                raise ValueError(
                    f"Gradient of shape {g.shape} for a parameter of shape {p.shape}."
                )
            gs.append(g)
        if self.state is None:
            self.state = [self._new_state(p.shape) for p in params]
        shapes = [st[self._state_names[0]].shape for st in self.state]
        if shapes != [p.shape for p in params]:
            raise ValueError(
                "The parameters changed since the first step (their shapes "
                "differ from the optimizer's state); call reset() first."
            )
        self.n_steps += 1
        hp = self._hyper()
        for p, g, st in zip(params, gs, self.state, strict=True):
            s1, s2, s3 = (s.reshape(-1) for s in self._slots(st))
            _k.optim_update(
                self._kind, p.reshape(-1), readonly(g.reshape(-1)), s1, s2, s3,
                hp, self.n_steps,
            )


class SGD(Optimizer):
    r"""Stochastic gradient descent, with (Nesterov) momentum.

    PyTorch's rule, with :math:`g_t` the gradient at step :math:`t`:

    .. math::

        g_t &\leftarrow g_t + \lambda \theta_{t-1} \\
        b_t &\leftarrow g_t \text{ if } t = 1 \text{ else }
              \mu b_{t-1} + (1 - \tau) g_t \\
        g_t &\leftarrow g_t + \mu b_t \text{ (nesterov) else } b_t \\
        \theta_t &\leftarrow \theta_{t-1} - \gamma g_t

    (the momentum lines only when ``momentum != 0``). The momentum buffer
    starts at the first gradient, not at zero.

    Parameters
    ----------
    lr : float, default=1e-3
        Learning rate :math:`\gamma`.
    momentum : float, default=0
        Momentum factor :math:`\mu`.
    dampening : float, default=0
        Dampening :math:`\tau` of the momentum.
    weight_decay : float, default=0
        L2 penalty :math:`\lambda` added to the gradient.
    nesterov : bool, default=False
        Nesterov momentum (needs ``momentum > 0`` and ``dampening == 0``).

    See Also
    --------
    Adam : Adaptive moments.

    References
    ----------
    .. [1] PyTorch, ``torch.optim.SGD``.
    .. [2] Sutskever, Martens, Dahl and Hinton, "On the importance of
       initialization and momentum in deep learning", ICML 2013.

    Examples
    --------
    >>> import numpy as np
    >>> from skreg.optim import SGD
    >>> w = np.array([1.0])
    >>> opt = SGD(lr=0.1, momentum=0.9)
    >>> opt.step([w], [np.array([1.0])])
    >>> opt.n_steps, w
    (1, array([0.9]))
    """

    _kind = _k.OPT_SGD
    _state_names = ("momentum_buffer",)

    def __init__(self, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0,
                 nesterov=False):
        _check(lr >= 0.0, f"Invalid learning rate: {lr}")
        _check(momentum >= 0.0, f"Invalid momentum value: {momentum}")
        _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay}")
        _check(
            not nesterov or (momentum > 0 and dampening == 0),
            "Nesterov momentum requires a momentum and zero dampening",
        )
        self.lr = lr
        self.momentum = momentum
        self.dampening = dampening
        self.weight_decay = weight_decay
        self.nesterov = nesterov
        self.state = None
        self.n_steps = 0

    def _hyper(self):
        return np.array([self.lr, self.weight_decay, self.momentum,
                         self.dampening, float(self.nesterov), 0.0])


class Adagrad(Optimizer):
    r"""Adagrad: per-coordinate steps scaled by accumulated squared gradients.

    PyTorch's rule:

    .. math::

        \tilde\gamma &\leftarrow \gamma / (1 + (t - 1) \eta) \\
        g_t &\leftarrow g_t + \lambda \theta_{t-1} \\
        s_t &\leftarrow s_{t-1} + g_t^2 \\
        \theta_t &\leftarrow \theta_{t-1} - \tilde\gamma\, g_t / (\sqrt{s_t} + \epsilon)

    with :math:`s_0` = ``initial_accumulator_value`` and eps *outside* the
    square root.

    Parameters
    ----------
    lr : float, default=1e-2
        Learning rate :math:`\gamma`.
    lr_decay : float, default=0
        Learning-rate decay :math:`\eta`.
    weight_decay : float, default=0
        L2 penalty :math:`\lambda` added to the gradient.
    initial_accumulator_value : float, default=0
        Initial value of the sum of squared gradients.
    eps : float, default=1e-10
        Added to the denominator.

    See Also
    --------
    RMSprop : Exponential instead of cumulative averaging.

    References
    ----------
    .. [1] Duchi, Hazan and Singer, "Adaptive subgradient methods for online
       learning and stochastic optimization", JMLR 12, 2011.

    Examples
    --------
    >>> import numpy as np
    >>> from skreg.optim import Adagrad
    >>> w = np.array([1.0])
    >>> Adagrad(lr=0.5).step([w], [np.array([4.0])])
    >>> w
    array([0.5])
    """

    _kind = _k.OPT_ADAGRAD
    _state_names = ("sum",)

    def __init__(self, lr=1e-2, lr_decay=0.0, weight_decay=0.0,
                 initial_accumulator_value=0.0, eps=1e-10):
        _check(lr >= 0.0, f"Invalid learning rate: {lr}")
        _check(lr_decay >= 0.0, f"Invalid lr_decay value: {lr_decay}")
        _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay}")
        _check(
            initial_accumulator_value >= 0.0,
            f"Invalid initial_accumulator_value value: {initial_accumulator_value}",
        )
        _check(eps >= 0.0, f"Invalid epsilon value: {eps}")
        self.lr = lr
        self.lr_decay = lr_decay
        self.weight_decay = weight_decay
        self.initial_accumulator_value = initial_accumulator_value
        self.eps = eps
        self.state = None
        self.n_steps = 0

    def _new_state(self, shape):
        return {"sum": np.full(shape, float(self.initial_accumulator_value))}

    def _hyper(self):
        return np.array([self.lr, self.weight_decay, self.lr_decay, self.eps,
                         0.0, 0.0])


class Adadelta(Optimizer):
    r"""Adadelta: steps scaled by the ratio of two running RMS.

    PyTorch's rule:

    .. math::

        g_t &\leftarrow g_t + \lambda \theta_{t-1} \\
        v_t &\leftarrow \rho v_{t-1} + (1 - \rho) g_t^2 \\
        \Delta x_t &\leftarrow \frac{\sqrt{u_{t-1} + \epsilon}}
                                   {\sqrt{v_t + \epsilon}}\, g_t \\
        u_t &\leftarrow \rho u_{t-1} + (1 - \rho) \Delta x_t^2 \\
        \theta_t &\leftarrow \theta_{t-1} - \gamma \Delta x_t

    with eps *inside* both square roots.

    Parameters
    ----------
    lr : float, default=1.0
        Coefficient :math:`\gamma` scaling the step.
    rho : float, default=0.9
        Decay of the running averages.
    eps : float, default=1e-6
        Added inside the square roots.
    weight_decay : float, default=0
        L2 penalty :math:`\lambda` added to the gradient.

    See Also
    --------
    RMSprop : Running RMS of the gradient only.

    References
    ----------
    .. [1] Zeiler, "ADADELTA: an adaptive learning rate method", 2012,
       arXiv:1212.5701.

    Examples
    --------
    >>> import numpy as np
    >>> from skreg.optim import Adadelta
    >>> w = np.array([1.0])
    >>> Adadelta().step([w], [np.array([1.0])])
    >>> round(float(w[0]), 6)
    0.996838
    """

    _kind = _k.OPT_ADADELTA
    _state_names = ("square_avg", "acc_delta")

    def __init__(self, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
        _check(lr >= 0.0, f"Invalid learning rate: {lr}")
        _check(0.0 <= rho <= 1.0, f"Invalid rho value: {rho}")
        _check(eps >= 0.0, f"Invalid epsilon value: {eps}")
        _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay}")
        self.lr = lr
        self.rho = rho
        self.eps = eps
        self.weight_decay = weight_decay
        self.state = None
        self.n_steps = 0

    def _hyper(self):
        return np.array([self.lr, self.weight_decay, self.rho, self.eps, 0.0, 0.0])


class RMSprop(Optimizer):
    r"""RMSprop: steps scaled by a running RMS of the gradient.

    PyTorch's rule:

    .. math::

        g_t &\leftarrow g_t + \lambda \theta_{t-1} \\
        v_t &\leftarrow \alpha v_{t-1} + (1 - \alpha) g_t^2 \\
        \tilde v_t &\leftarrow v_t - \bar g_t^2, \quad
            \bar g_t \leftarrow \alpha \bar g_{t-1} + (1 - \alpha) g_t
            \quad \text{(centered only, else } \tilde v_t = v_t) \\
        b_t &\leftarrow \mu b_{t-1} + g_t / (\sqrt{\tilde v_t} + \epsilon), \quad
            \theta_t \leftarrow \theta_{t-1} - \gamma b_t
            \quad (\mu > 0) \\
        \theta_t &\leftarrow \theta_{t-1} - \gamma g_t / (\sqrt{\tilde v_t} +
            \epsilon) \quad (\mu = 0)

    with eps *outside* the square root.

    Parameters
    ----------
    lr : float, default=1e-2
        Learning rate :math:`\gamma`.
    alpha : float, default=0.99
        Smoothing constant :math:`\alpha`.
    eps : float, default=1e-8
        Added to the denominator.
    weight_decay : float, default=0
        L2 penalty :math:`\lambda` added to the gradient.
    momentum : float, default=0
        Momentum factor :math:`\mu`.
    centered : bool, default=False
        Normalise by an estimate of the gradient's variance instead of its
        second moment.

    See Also
    --------
    Adam : RMSprop with momentum on the gradient and bias correction.

    References
    ----------
    .. [1] Tieleman and Hinton, Lecture 6.5 of "Neural networks for machine
       learning", Coursera, 2012.
    .. [2] Graves, "Generating sequences with recurrent neural networks",
       2013, arXiv:1308.0850 (the centered variant).

    Examples
    --------
    >>> import numpy as np
    >>> from skreg.optim import RMSprop
    >>> w = np.array([1.0])
    >>> RMSprop(lr=0.01).step([w], [np.array([3.0])])
    >>> round(float(w[0]), 4)
    0.9
    """

    _kind = _k.OPT_RMSPROP
    _state_names = ("square_avg", "momentum_buffer", "grad_avg")

    def __init__(self, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0,
                 momentum=0.0, centered=False):
        _check(lr >= 0.0, f"Invalid learning rate: {lr}")
        _check(eps >= 0.0, f"Invalid epsilon value: {eps}")
        _check(momentum >= 0.0, f"Invalid momentum value: {momentum}")
        _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay}")
        _check(alpha >= 0.0, f"Invalid alpha value: {alpha}")
        self.lr = lr
        self.alpha = alpha
        self.eps = eps
        self.weight_decay = weight_decay
        self.momentum = momentum
        self.centered = centered
        self.state = None
        self.n_steps = 0

    def _hyper(self):
        return np.array([self.lr, self.weight_decay, self.alpha, self.eps,
                         self.momentum, float(self.centered)])


class Adam(Optimizer):
    r"""Adam: bias-corrected running moments of the gradient.

    PyTorch's rule:

    .. math::

        g_t &\leftarrow g_t + \lambda \theta_{t-1} \\
        m_t &\leftarrow \beta_1 m_{t-1} + (1 - \beta_1) g_t \\
        v_t &\leftarrow \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\
        v^{max}_t &\leftarrow \max(v^{max}_{t-1}, v_t)
            \text{ and use } v^{max}_t \text{ for } v_t \text{ (amsgrad)} \\
        \theta_t &\leftarrow \theta_{t-1} - \gamma\,
            \frac{m_t / (1 - \beta_1^t)}{\sqrt{v_t / (1 - \beta_2^t)} + \epsilon}

    eps is added *after* the bias correction. With ``amsgrad`` the running
    maximum is taken of the raw second moments and then bias-corrected, as
    PyTorch's implementation does.

    Parameters
    ----------
    lr : float, default=1e-3
        Learning rate :math:`\gamma`.
    betas : tuple of float, default=(0.9, 0.999)
        Decays :math:`(\beta_1, \beta_2)` of the first and second moments.
    eps : float, default=1e-8
        Added to the denominator.
    weight_decay : float, default=0
        L2 penalty :math:`\lambda` added to the gradient (coupled; see
        :class:`AdamW` for the decoupled version).
    amsgrad : bool, default=False
        Use the running maximum of the second moments (AMSGrad).

    See Also
    --------
    AdamW : Adam with decoupled weight decay.

    References
    ----------
    .. [1] Kingma and Ba, "Adam: a method for stochastic optimization",
       ICLR 2015.
    .. [2] Reddi, Kale and Kumar, "On the convergence of Adam and beyond",
       ICLR 2018.

    Examples
    --------
    >>> import numpy as np
    >>> from skreg.optim import Adam
    >>> w = np.array([1.0])
    >>> Adam(lr=0.1).step([w], [np.array([123.0])])
    >>> round(float(w[0]), 6)  # the first step has length lr
    0.9
    """

    _kind = _k.OPT_ADAM
    _state_names = ("exp_avg", "exp_avg_sq", "max_exp_avg_sq")

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                 amsgrad=False):
        _check(lr >= 0.0, f"Invalid learning rate: {lr}")
        _check(eps >= 0.0, f"Invalid epsilon value: {eps}")
        _check(len(betas) == 2, f"betas must be a pair, got {betas!r}")
        _check(0.0 <= betas[0] < 1.0, f"Invalid beta parameter at index 0: {betas[0]}")
        _check(0.0 <= betas[1] < 1.0, f"Invalid beta parameter at index 1: {betas[1]}")
        _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay}")
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.weight_decay = weight_decay
        self.amsgrad = amsgrad
        self.state = None
        self.n_steps = 0

    def _hyper(self):
        return np.array([self.lr, self.weight_decay, self.betas[0], self.betas[1],
                         self.eps, float(self.amsgrad)])


class AdamW(Adam):
    r"""AdamW: Adam with decoupled weight decay.

    PyTorch's rule: first :math:`\theta_{t-1} \leftarrow \theta_{t-1}
    (1 - \gamma\lambda)`, then the :class:`Adam` step without weight decay in
    the gradient.

    Parameters
    ----------
    lr : float, default=1e-3
        Learning rate :math:`\gamma`.
    betas : tuple of float, default=(0.9, 0.999)
        Decays of the first and second moments.
    eps : float, default=1e-8
        Added to the denominator.
    weight_decay : float, default=1e-2
        Decoupled weight decay :math:`\lambda`.
    amsgrad : bool, default=False
        Use the running maximum of the second moments (AMSGrad).

    See Also
    --------
    Adam : Coupled L2 penalty.

    References
    ----------
    .. [1] Loshchilov and Hutter, "Decoupled weight decay regularization",
       ICLR 2019.

    Examples
    --------
    >>> import numpy as np
    >>> from skreg.optim import AdamW
    >>> w = np.array([1.0])
    >>> AdamW(lr=0.1, weight_decay=0.5).step([w], [np.array([0.0])])
    >>> w  # decayed by lr * weight_decay, then a zero Adam step
    array([0.95])
    """

    _kind = _k.OPT_ADAMW

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False):
        super().__init__(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                         amsgrad=amsgrad)
