"""Tests of skreg.optim: trajectories against NumPy transcriptions of PyTorch's
documented update rules, behaviour on toy problems, and bad settings."""

import copy

import numpy as np
import pytest

from skreg.optim import SGD, Adadelta, Adagrad, Adam, AdamW, Optimizer, RMSprop

# a fixed, ill-conditioned quadratic f(theta) = 0.5 theta' A theta - b' theta
_rng = np.random.default_rng(42)
_Q, _ = np.linalg.qr(_rng.standard_normal((7, 7)))
A = _Q @ np.diag(np.logspace(-1, 1, 7)) @ _Q.T
b = _rng.standard_normal(7)
THETA0 = _rng.standard_normal(7)


def quad_grad(theta):
    return A @ theta - b


def split(theta):
    """The 7 parameters as a (2, 2) matrix and a (3,) vector: two arrays."""
    return [theta[:4].reshape(2, 2).copy(), theta[4:].copy()]


def run_skreg(opt, n_steps, grad_scale=1.0):
    params = split(THETA0)
    out = []
    for _ in range(n_steps):
        theta = np.concatenate([p.ravel() for p in params])
        g = grad_scale * quad_grad(theta)
        opt.step(params, [g[:4].reshape(2, 2), g[4:]])
        out.append(np.concatenate([p.ravel() for p in params]))
    return np.array(out)


# ---- NumPy transcriptions of PyTorch's documented algorithms -------------
def ref_sgd(n, lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
    theta = THETA0.copy()
    buf = None
    out = []
    for t in range(1, n + 1):
        g = quad_grad(theta)
        if weight_decay:
            g = g + weight_decay * theta
        if momentum:
            buf = g.copy() if t == 1 else momentum * buf + (1 - dampening) * g
            g = g + momentum * buf if nesterov else buf
        theta = theta - lr * g
        out.append(theta)
    return np.array(out)


def ref_adagrad(n, lr, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0,
                eps=1e-10):
    theta = THETA0.copy()
    s = np.full(7, initial_accumulator_value)
    out = []
    for t in range(1, n + 1):
        g = quad_grad(theta)
        clr = lr / (1 + (t - 1) * lr_decay)
        if weight_decay:
            g = g + weight_decay * theta
        s = s + g**2
        theta = theta - clr * g / (np.sqrt(s) + eps)
        out.append(theta)
    return np.array(out)


def ref_adadelta(n, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
    theta = THETA0.copy()
    v = np.zeros(7)
    u = np.zeros(7)
    out = []
    for _ in range(n):
        g = quad_grad(theta)
        if weight_decay:
            g = g + weight_decay * theta
        v = rho * v + (1 - rho) * g**2
        dx = np.sqrt(u + eps) / np.sqrt(v + eps) * g
        u = rho * u + (1 - rho) * dx**2
        theta = theta - lr * dx
        out.append(theta)
    return np.array(out)


def ref_rmsprop(n, lr, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                centered=False):
    theta = THETA0.copy()
    v = np.zeros(7)
    gave = np.zeros(7)
    buf = np.zeros(7)
    out = []
    for _ in range(n):
        g = quad_grad(theta)
        if weight_decay:
            g = g + weight_decay * theta
        v = alpha * v + (1 - alpha) * g**2
        vt = v
        if centered:
            gave = alpha * gave + (1 - alpha) * g
            vt = v - gave**2
        if momentum > 0:
            buf = momentum * buf + g / (np.sqrt(vt) + eps)
            theta = theta - lr * buf
        else:
            theta = theta - lr * g / (np.sqrt(vt) + eps)
        out.append(theta)
    return np.array(out)


def ref_adam(n, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False,
             decoupled=False, grad_scale=1.0):
    theta = THETA0.copy()
    m = np.zeros(7)
    v = np.zeros(7)
    vmax = np.zeros(7)
    b1, b2 = betas
    out = []
    for t in range(1, n + 1):
        g = grad_scale * quad_grad(theta)
        if decoupled:
            theta = theta * (1 - lr * weight_decay)
        elif weight_decay:
            g = g + weight_decay * theta
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        mhat = m / (1 - b1**t)
        if amsgrad:
            vmax = np.maximum(vmax, v)
            vhat = vmax / (1 - b2**t)
        else:
            vhat = v / (1 - b2**t)
        theta = theta - lr * mhat / (np.sqrt(vhat) + eps)
        out.append(theta)
    return np.array(out)


CASES = [
    (SGD(lr=0.1), lambda n: ref_sgd(n, 0.1)),
    (SGD(lr=0.05, weight_decay=0.1), lambda n: ref_sgd(n, 0.05, weight_decay=0.1)),
    (SGD(lr=0.05, momentum=0.9), lambda n: ref_sgd(n, 0.05, momentum=0.9)),
    (
        SGD(lr=0.05, momentum=0.8, dampening=0.3, weight_decay=0.01),
        lambda n: ref_sgd(n, 0.05, 0.8, 0.3, 0.01),
    ),
    (
        SGD(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.05),
        lambda n: ref_sgd(n, 0.05, 0.9, 0.0, 0.05, nesterov=True),
    ),
    (Adagrad(lr=0.3), lambda n: ref_adagrad(n, 0.3)),
    (
        Adagrad(lr=0.3, lr_decay=0.1, weight_decay=0.2, initial_accumulator_value=0.5,
                eps=1e-3),
        lambda n: ref_adagrad(n, 0.3, 0.1, 0.2, 0.5, 1e-3),
    ),
    (Adadelta(), lambda n: ref_adadelta(n)),
    (
        Adadelta(lr=0.5, rho=0.8, eps=1e-4, weight_decay=0.1),
        lambda n: ref_adadelta(n, 0.5, 0.8, 1e-4, 0.1),
    ),
    (RMSprop(lr=0.01), lambda n: ref_rmsprop(n, 0.01)),
    (
        RMSprop(lr=0.01, alpha=0.9, centered=True, momentum=0.5, weight_decay=0.1),
        lambda n: ref_rmsprop(n, 0.01, 0.9, 1e-8, 0.1, 0.5, True),
    ),
    (
        RMSprop(lr=0.02, centered=True, eps=1e-3),
        lambda n: ref_rmsprop(n, 0.02, eps=1e-3, centered=True),
    ),
    (Adam(lr=0.1), lambda n: ref_adam(n, 0.1)),
    (
        Adam(lr=0.1, betas=(0.8, 0.99), weight_decay=0.1, eps=1e-4),
        lambda n: ref_adam(n, 0.1, (0.8, 0.99), 1e-4, 0.1),
    ),
    (Adam(lr=0.1, amsgrad=True), lambda n: ref_adam(n, 0.1, amsgrad=True)),
    (AdamW(lr=0.1), lambda n: ref_adam(n, 0.1, weight_decay=1e-2, decoupled=True)),
    (
        AdamW(lr=0.1, weight_decay=0.3, amsgrad=True),
        lambda n: ref_adam(n, 0.1, weight_decay=0.3, amsgrad=True, decoupled=True),
    ),
]


@pytest.mark.parametrize("opt, ref", CASES, ids=[repr(c[0]) for c in CASES])
def test_trajectory_matches_pytorch_rule(opt, ref):
    n = 25
    got = run_skreg(opt, n)
    expected = ref(n)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-13)
    assert opt.n_steps == n
    # the trajectory is not trivial: the parameters moved
    assert np.abs(got[-1] - THETA0).max() > 1e-2


def test_pytorch_defaults():
    assert SGD().get_params() == dict(
        lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False
    )
    assert Adagrad().get_params() == dict(
        lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0,
        eps=1e-10,
    )
    assert Adadelta().get_params() == dict(lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0)
    assert RMSprop().get_params() == dict(
        lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False
    )
    assert Adam().get_params() == dict(
        lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False
    )
    assert AdamW().get_params()["weight_decay"] == 1e-2


def test_sgd_momentum_buffer_starts_at_first_gradient():
    # with a zero-initialised buffer the first step would be (1 - dampening) g
    w = np.array([0.0])
    opt = SGD(lr=1.0, momentum=0.9, dampening=0.5)
    opt.step([w], [np.array([2.0])])
    assert w[0] == -2.0
    np.testing.assert_array_equal(opt.state[0]["momentum_buffer"], [2.0])


def test_adagrad_effective_step_shrinks():
    # constant gradient: step t has length lr / sqrt(t) (Duchi et al.)
    w = np.array([0.0])
    opt = Adagrad(lr=0.1, eps=0.0)
    steps = []
    for _ in range(50):
        before = w[0]
        opt.step([w], [np.array([3.0])])
        steps.append(before - w[0])
    steps = np.array(steps)
    assert np.all(np.diff(steps) < 0)
    np.testing.assert_allclose(steps, 0.1 / np.sqrt(np.arange(1, 51)), rtol=1e-12)


@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam_invariant_to_gradient_scale(amsgrad):
    # Kingma & Ba: the update is invariant to rescaling the gradient (eps = 0)
    a = run_skreg(Adam(lr=0.05, eps=0.0, amsgrad=amsgrad), 30)
    b_ = run_skreg(Adam(lr=0.05, eps=0.0, amsgrad=amsgrad), 30, grad_scale=1e4)
    np.testing.assert_allclose(a, b_, rtol=1e-10)
    # SGD is not
    c = run_skreg(SGD(lr=0.05), 5)
    d = run_skreg(SGD(lr=0.05), 5, grad_scale=2.0)
    assert np.abs(c - d).max() > 1e-3


def test_adam_first_step_has_length_lr():
    w = np.array([0.0, 0.0])
    Adam(lr=0.01).step([w], [np.array([1e-3, -1e5])])
    # exactly lr * g / (|g| + eps): eps = 1e-8 matters at the 1e-5 level for g = 1e-3
    np.testing.assert_allclose(w, [-0.01 * 1e-3 / (1e-3 + 1e-8), 0.01], rtol=1e-12)


def test_momentum_beats_sgd_on_ill_conditioned_quadratic():
    f_opt = -0.5 * b @ np.linalg.solve(A, b)

    def final_gap(opt):
        traj = run_skreg(opt, 100)
        th = traj[-1]
        return 0.5 * th @ A @ th - b @ th - f_opt

    plain = final_gap(SGD(lr=0.09))
    heavy = final_gap(SGD(lr=0.09, momentum=0.9))
    nesterov = final_gap(SGD(lr=0.09, momentum=0.9, nesterov=True))
    assert heavy < plain / 10
    assert nesterov < plain / 10


def test_adamw_decay_is_decoupled_from_gradient_scale():
    # Loshchilov & Hutter: the decay of AdamW does not pass through the
    # adaptive denominator, so with a zero gradient the weights shrink
    # geometrically by (1 - lr * wd); Adam's coupled decay behaves differently
    w = np.array([2.0])
    opt = AdamW(lr=0.1, weight_decay=0.5)
    for _ in range(10):
        opt.step([w], [np.zeros(1)])
    np.testing.assert_allclose(w, 2.0 * 0.95**10, rtol=1e-12)
    w2 = np.array([2.0])
    opt2 = Adam(lr=0.1, weight_decay=0.5)
    for _ in range(10):
        opt2.step([w2], [np.zeros(1)])
    assert abs(w2[0] - w[0]) > 0.1


def test_state_reset_and_continuation():
    opt = Adam(lr=0.1)
    full = run_skreg(opt, 10)
    opt.reset()
    assert opt.state is None and opt.n_steps == 0
    again = run_skreg(opt, 10)
    np.testing.assert_array_equal(full, again)
    # deep copies do not share state
    c = copy.deepcopy(opt)
    run_skreg(c, 3)
    assert opt.n_steps == 10 and c.n_steps == 13


def test_repr():
    assert repr(Adam()) == "Adam()"
    assert repr(SGD(lr=0.1, nesterov=True, momentum=0.9)) == (
        "SGD(lr=0.1, momentum=0.9, nesterov=True)"
    )
    assert isinstance(AdamW(), Optimizer)


@pytest.mark.parametrize(
    "factory, match",
    [
        (lambda: SGD(lr=-1.0), "Invalid learning rate: -1.0"),
        (lambda: SGD(nesterov=True), "Nesterov momentum requires a momentum"),
        (lambda: SGD(momentum=0.9, dampening=0.1, nesterov=True), "zero dampening"),
        (lambda: Adam(betas=(1.0, 0.999)), "Invalid beta parameter at index 0"),
        (lambda: Adam(betas=(0.9, -0.1)), "Invalid beta parameter at index 1"),
        (lambda: Adagrad(lr_decay=-1), "Invalid lr_decay value"),
        (lambda: Adadelta(rho=1.5), "Invalid rho value"),
        (lambda: RMSprop(eps=-1e-8), "Invalid epsilon value"),
        (lambda: AdamW(weight_decay=-0.1), "Invalid weight_decay value"),
    ],
)
def test_invalid_hyperparameters(factory, match):
    with pytest.raises(ValueError, match=match):
        factory()


def test_bad_step_arguments():
    opt = Adam()
    w = np.zeros(3)
    with pytest.raises(ValueError, match="Got 1 parameter arrays but 2 gradients"):
        opt.step([w], [np.zeros(3), np.zeros(3)])
    with pytest.raises(ValueError, match=r"Gradient of shape \(2,\) for a parameter"):
        opt.step([w], [np.zeros(2)])
    with pytest.raises(TypeError, match="writable C-contiguous float64"):
        opt.step([np.zeros((3, 3))[:, 0]], [np.zeros(3)])
    with pytest.raises(TypeError, match="writable C-contiguous float64"):
        opt.step([np.zeros(3, dtype=np.float32)], [np.zeros(3)])
    opt.step([w], [np.ones(3)])
    with pytest.raises(ValueError, match="call reset"):
        opt.step([np.zeros(4)], [np.ones(4)])
    # the gradient is never modified
    g = np.ones(3)
    g.setflags(write=False)
    opt.step([w], [g])
    np.testing.assert_array_equal(g, 1.0)
