"""Numba kernels of the multilayer perceptron and of the optimizers.

Everything the MLP does per sample or per parameter lives here: the forward
pass, the backward pass (backpropagation through dense layers, activations,
batch normalization and the loss), the running-statistics update of batch
normalization, and the update rules of the optimizers of :mod:`skreg.optim`.
The optimizer updates live in this module too (not in a separate file)
because the per-epoch kernel calls them, and numba's cache only tracks the
file that defines a function.

Parameter layout
----------------
All trainable parameters are stored in one flat float64 vector ``theta``.
Layer ``l`` (``l = 0 .. L-1``, ``L`` weight layers) owns

* ``W_l`` of shape ``(sizes[l], sizes[l+1])`` (row-major) at ``off[l, 0]``,
* ``b_l`` of shape ``(sizes[l+1],)`` at ``off[l, 1]``,
* with batch normalization, hidden layers also own ``gamma_l`` and ``beta_l``
  at ``off[l, 2]`` and ``off[l, 3]`` (``-1`` when absent).

A hidden layer with batch normalization computes
``act(gamma * (Z - mean) / sqrt(var + eps) + beta)`` with ``Z = A_prev @ W``;
its bias ``b_l`` is redundant (the mean subtraction cancels it), is not used
and receives a zero gradient. Running statistics of hidden layer ``l`` live at
``hoff[l]`` in flat vectors of length ``sum(hidden sizes)``.

Loss scale
----------
* squared error: ``0.5 * sum_i w_i * sum_j (p_ij - y_ij)**2 / (B * k)``, i.e.
  half the mean squared error over samples and outputs (scikit-learn's scale),
* log-loss: ``sum_i w_i * CE_i / B`` with the logistic (one output) or softmax
  cross entropy computed from the logits (log-sum-exp, no clipping),

plus ``0.5 * pen * sum_l ||W_l||_F**2`` (biases and batch-norm parameters are
not penalised). ``w`` are sample weights normalised by the caller to average
one over the training set, ``B`` the batch size.
"""

import numpy as np

from skreg._kernels._jit import jit

# hidden activations
ACT_IDENTITY = 0
ACT_RELU = 1
ACT_TANH = 2
ACT_SIGMOID = 3
# output layer / loss
OUT_IDENTITY = 0  # squared error
OUT_LOGISTIC = 1  # binary log-loss, one output unit
OUT_SOFTMAX = 2  # multinomial log-loss
# optimizers
OPT_SGD = 0
OPT_ADAGRAD = 1
OPT_ADADELTA = 2
OPT_RMSPROP = 3
OPT_ADAM = 4
OPT_ADAMW = 5


# --------------------------------------------------------------------------
# optimizer updates (PyTorch's documented rules)
# --------------------------------------------------------------------------
@jit
def optim_update(kind, theta, g, s1, s2, s3, hp, step):
    """One optimizer step on a flat parameter vector, in place.

    Parameters
    ----------
    kind : int
        ``OPT_*`` code.
    theta, g : 1-D float64 arrays
        Parameters (updated in place) and their gradient (read only).
    s1, s2, s3 : 1-D float64 arrays
        Optimizer state, updated in place (unused ones may be empty):

        ======== ================ ============ ===============
        kind     s1               s2           s3
        ======== ================ ============ ===============
        SGD      momentum_buffer
        Adagrad  sum
        Adadelta square_avg       acc_delta
        RMSprop  square_avg       momentum     grad_avg
        Adam(W)  exp_avg          exp_avg_sq   max_exp_avg_sq
        ======== ================ ============ ===============
    hp : 1-D float64 array
        ``hp[0]`` lr, ``hp[1]`` weight_decay, then per kind:
        SGD ``momentum, dampening, nesterov``; Adagrad ``lr_decay, eps``;
        Adadelta ``rho, eps``; RMSprop ``alpha, eps, momentum, centered``;
        Adam/AdamW ``beta1, beta2, eps, amsgrad``.
    step : int
        Number of this step, starting at 1.
    """
    lr = hp[0]
    wd = hp[1]
    n = theta.shape[0]
    if kind == OPT_SGD:
        mom = hp[2]
        damp = hp[3]
        nesterov = hp[4] != 0.0
        for i in range(n):
            d = g[i]
            if wd != 0.0:
                d = d + wd * theta[i]
            if mom != 0.0:
                if step == 1:
                    b = d
                else:
                    b = mom * s1[i] + (1.0 - damp) * d
                s1[i] = b
                if nesterov:
                    d = d + mom * b
                else:
                    d = b
            theta[i] = theta[i] - lr * d
    elif kind == OPT_ADAGRAD:
        lr_decay = hp[2]
        eps = hp[3]
        clr = lr / (1.0 + (step - 1) * lr_decay)
        for i in range(n):
            d = g[i]
            if wd != 0.0:
                d = d + wd * theta[i]
            s1[i] = s1[i] + d * d
            theta[i] = theta[i] - clr * d / (np.sqrt(s1[i]) + eps)
    elif kind == OPT_ADADELTA:
        rho = hp[2]
        eps = hp[3]
        for i in range(n):
            d = g[i]
            if wd != 0.0:
                d = d + wd * theta[i]
            s1[i] = rho * s1[i] + (1.0 - rho) * d * d
            delta = np.sqrt(s2[i] + eps) / np.sqrt(s1[i] + eps) * d
            s2[i] = rho * s2[i] + (1.0 - rho) * delta * delta
            theta[i] = theta[i] - lr * delta
    elif kind == OPT_RMSPROP:
        alpha = hp[2]
        eps = hp[3]
        mom = hp[4]
        centered = hp[5] != 0.0
        for i in range(n):
            d = g[i]
            if wd != 0.0:
                d = d + wd * theta[i]
            s1[i] = alpha * s1[i] + (1.0 - alpha) * d * d
            v = s1[i]
            if centered:
                s3[i] = alpha * s3[i] + (1.0 - alpha) * d
                v = v - s3[i] * s3[i]
            avg = np.sqrt(v) + eps
            if mom > 0.0:
                s2[i] = mom * s2[i] + d / avg
                theta[i] = theta[i] - lr * s2[i]
            else:
                theta[i] = theta[i] - lr * d / avg
    else:  # Adam, AdamW
        beta1 = hp[2]
        beta2 = hp[3]
        eps = hp[4]
        amsgrad = hp[5] != 0.0
        bc1 = 1.0 - beta1**step
        bc2_sqrt = np.sqrt(1.0 - beta2**step)
        step_size = lr / bc1
        decoupled = kind == OPT_ADAMW
        for i in range(n):
            d = g[i]
            if wd != 0.0:
                if decoupled:
                    theta[i] = theta[i] * (1.0 - lr * wd)
                else:
                    d = d + wd * theta[i]
            s1[i] = beta1 * s1[i] + (1.0 - beta1) * d
            s2[i] = beta2 * s2[i] + (1.0 - beta2) * d * d
            if amsgrad:
                if s2[i] > s3[i]:
                    s3[i] = s2[i]
                denom = np.sqrt(s3[i]) / bc2_sqrt + eps
            else:
                denom = np.sqrt(s2[i]) / bc2_sqrt + eps
            theta[i] = theta[i] - step_size * s1[i] / denom


# --------------------------------------------------------------------------
# forward / backward
# --------------------------------------------------------------------------
@jit
def _activate(Z, act):
    """Apply a hidden activation in place."""
    n, m = Z.shape
    if act == ACT_RELU:
        for i in range(n):
            for j in range(m):
                if Z[i, j] < 0.0:
                    Z[i, j] = 0.0
    elif act == ACT_TANH:
        for i in range(n):
            for j in range(m):
                Z[i, j] = np.tanh(Z[i, j])
    elif act == ACT_SIGMOID:
        for i in range(n):
            for j in range(m):
                Z[i, j] = 1.0 / (1.0 + np.exp(-Z[i, j]))


@jit
def _times_derivative(D, A, act):
    """``D *= act'(.)`` written in terms of the activation's output ``A``."""
    n, m = D.shape
    if act == ACT_RELU:
        for i in range(n):
            for j in range(m):
                if A[i, j] <= 0.0:
                    D[i, j] = 0.0
    elif act == ACT_TANH:
        for i in range(n):
            for j in range(m):
                D[i, j] *= 1.0 - A[i, j] * A[i, j]
    elif act == ACT_SIGMOID:
        for i in range(n):
            for j in range(m):
                D[i, j] *= A[i, j] * (1.0 - A[i, j])


@jit
def _add_bias(Z, b):
    n, m = Z.shape
    for i in range(n):
        for j in range(m):
            Z[i, j] += b[j]


@jit
def _bn_train_forward(Z, XH, gamma, beta, mean, var, invstd, eps):
    """Batch normalization in training mode, in place on ``Z``.

    Two-pass statistics per column: the mean, then the biased variance
    ``mean((Z - mean)**2)`` (no cancellation, unlike E[Z^2] - E[Z]^2).
    ``XH`` receives the normalised values, ``mean``/``var``/``invstd`` the
    batch statistics.
    """
    n, m = Z.shape
    for j in range(m):
        mean[j] = 0.0
        var[j] = 0.0
    for i in range(n):
        for j in range(m):
            mean[j] += Z[i, j]
    for j in range(m):
        mean[j] /= n
    for i in range(n):
        for j in range(m):
            r = Z[i, j] - mean[j]
            var[j] += r * r
    for j in range(m):
        var[j] /= n
        invstd[j] = 1.0 / np.sqrt(var[j] + eps)
    for i in range(n):
        for j in range(m):
            xh = (Z[i, j] - mean[j]) * invstd[j]
            XH[i, j] = xh
            Z[i, j] = gamma[j] * xh + beta[j]


@jit
def _output_loss_delta(Z, Y, sw, D, out_kind):
    """Data loss of a batch and ``D = dloss/dZ`` for the output logits ``Z``."""
    n, k = Z.shape
    loss = 0.0
    if out_kind == OUT_IDENTITY:
        scale = 1.0 / (n * k)
        for i in range(n):
            w = sw[i]
            for j in range(k):
                r = Z[i, j] - Y[i, j]
                loss += w * r * r
                D[i, j] = w * r * scale
        return 0.5 * loss * scale
    if out_kind == OUT_LOGISTIC:
        for i in range(n):
            w = sw[i]
            for j in range(k):
                z = Z[i, j]
                y = Y[i, j]
                # log(1 + exp(z)) - y z, computed stably
                loss += w * (max(z, 0.0) + np.log1p(np.exp(-abs(z))) - y * z)
                D[i, j] = w * (1.0 / (1.0 + np.exp(-z)) - y) / n
        return loss / n
    # softmax
    for i in range(n):
        w = sw[i]
        zmax = Z[i, 0]
        for j in range(1, k):
            if Z[i, j] > zmax:
                zmax = Z[i, j]
        s = 0.0
        for j in range(k):
            s += np.exp(Z[i, j] - zmax)
        lse = zmax + np.log(s)
        for j in range(k):
            loss += w * Y[i, j] * (lse - Z[i, j])
            D[i, j] = w * (np.exp(Z[i, j] - lse) - Y[i, j]) / n
    return loss / n


@jit
def _fwd_bwd(Xb, Yb, swb, theta, grad, off, sizes, hoff, act, out_kind, bn,
             bn_eps, pen, acts, xhats, bmean, bvar, invstd, dbuf1, dbuf2):
    """Loss of one batch (training mode) and its gradient, written to ``grad``.

    ``acts`` holds the post-activation output of every layer (the last block
    holds the output logits), ``xhats`` the normalised pre-activations of
    batch-normalised layers; ``bmean``/``bvar`` receive the batch statistics.
    """
    B = Xb.shape[0]
    L = sizes.shape[0] - 1
    # ---------------- forward ----------------
    a_off = 0
    prev = acts[0:0].reshape((0, 0))
    for layer in range(L):
        fi = sizes[layer]
        fo = sizes[layer + 1]
        W = theta[off[layer, 0]:off[layer, 0] + fi * fo].reshape((fi, fo))
        Z = acts[a_off:a_off + B * fo].reshape((B, fo))
        if layer == 0:
            np.dot(Xb, W, Z)
        else:
            np.dot(prev, W, Z)
        hidden = layer < L - 1
        if bn and hidden:
            h = hoff[layer]
            XH = xhats[B * h:B * (h + fo)].reshape((B, fo))
            gamma = theta[off[layer, 2]:off[layer, 2] + fo]
            beta = theta[off[layer, 3]:off[layer, 3] + fo]
            _bn_train_forward(Z, XH, gamma, beta, bmean[h:h + fo],
                              bvar[h:h + fo], invstd[h:h + fo], bn_eps)
        else:
            _add_bias(Z, theta[off[layer, 1]:off[layer, 1] + fo])
        if hidden:
            _activate(Z, act)
        prev = Z
        a_off += B * fo
    # ---------------- loss ----------------
    k = sizes[L]
    D = dbuf1[:B * k].reshape((B, k))
    loss = _output_loss_delta(prev, Yb, swb, D, out_kind)
    if pen != 0.0:
        sq = 0.0
        for layer in range(L):
            o = off[layer, 0]
            for i in range(o, o + sizes[layer] * sizes[layer + 1]):
                sq += theta[i] * theta[i]
        loss += 0.5 * pen * sq
    # ---------------- backward ----------------
    use1 = True
    for layer in range(L - 1, -1, -1):
        fi = sizes[layer]
        fo = sizes[layer + 1]
        W = theta[off[layer, 0]:off[layer, 0] + fi * fo].reshape((fi, fo))
        gW = grad[off[layer, 0]:off[layer, 0] + fi * fo].reshape((fi, fo))
        a_off -= B * fo  # start of this layer's output block
        p_off = a_off - B * fi  # start of the previous layer's output block
        if layer == 0:
            np.dot(Xb.T, D, gW)
        else:
            Aprev = acts[p_off:p_off + B * fi].reshape((B, fi))
            np.dot(Aprev.T, D, gW)
        if pen != 0.0:
            for i in range(fi):
                for j in range(fo):
                    gW[i, j] += pen * W[i, j]
        gb = grad[off[layer, 1]:off[layer, 1] + fo]
        for j in range(fo):
            gb[j] = 0.0
        if not (bn and layer < L - 1):
            for i in range(B):
                for j in range(fo):
                    gb[j] += D[i, j]
        if layer > 0:
            if use1:
                Dp = dbuf2[:B * fi].reshape((B, fi))
            else:
                Dp = dbuf1[:B * fi].reshape((B, fi))
            use1 = not use1
            np.dot(D, W.T, Dp)
            Aprev = acts[p_off:p_off + B * fi].reshape((B, fi))
            _times_derivative(Dp, Aprev, act)
            if bn:  # layer - 1 is a hidden layer
                h = hoff[layer - 1]
                XH = xhats[B * h:B * (h + fi)].reshape((B, fi))
                gamma = theta[off[layer - 1, 2]:off[layer - 1, 2] + fi]
                ggam = grad[off[layer - 1, 2]:off[layer - 1, 2] + fi]
                gbet = grad[off[layer - 1, 3]:off[layer - 1, 3] + fi]
                for j in range(fi):
                    ggam[j] = 0.0
                    gbet[j] = 0.0
                for i in range(B):
                    for j in range(fi):
                        gbet[j] += Dp[i, j]
                        ggam[j] += Dp[i, j] * XH[i, j]
                for i in range(B):
                    for j in range(fi):
                        c = gamma[j] * invstd[h + j] / B
                        Dp[i, j] = c * (B * Dp[i, j] - gbet[j] - XH[i, j] * ggam[j])
            D = Dp
    return loss


@jit
def mlp_loss_grad(X, Y, sw, theta, off, sizes, hoff, act, out_kind, bn,
                  bn_eps, pen):
    """Loss and gradient on one batch in training mode (no update).

    Returns ``loss, grad, batch_mean, batch_var`` (the batch statistics of
    the batch-normalised layers, empty without batch normalization).
    """
    B = X.shape[0]
    L = sizes.shape[0] - 1
    tot = 0
    wmax = 0
    for layer in range(1, L + 1):
        tot += sizes[layer]
        if sizes[layer] > wmax:
            wmax = sizes[layer]
    H = tot - sizes[L]
    acts = np.empty(B * tot)
    xhats = np.empty(B * H)
    bmean = np.zeros(H)
    bvar = np.zeros(H)
    invstd = np.zeros(H)
    d1 = np.empty(B * wmax)
    d2 = np.empty(B * wmax)
    grad = np.zeros_like(theta)
    loss = _fwd_bwd(X, Y, sw, theta, grad, off, sizes, hoff, act, out_kind, bn,
                    bn_eps, pen, acts, xhats, bmean, bvar, invstd, d1, d2)
    return loss, grad, bmean, bvar


@jit
def bn_update_running(rmean, rvar, bmean, bvar, momentum, B):
    """PyTorch convention: ``running = (1 - m) running + m batch``, with the
    unbiased batch variance ``var * B / (B - 1)`` in the running variance."""
    unbias = B / (B - 1.0)
    for j in range(rmean.shape[0]):
        rmean[j] = (1.0 - momentum) * rmean[j] + momentum * bmean[j]
        rvar[j] = (1.0 - momentum) * rvar[j] + momentum * bvar[j] * unbias


@jit
def mlp_train_epoch(X, Y, sw, perm, batch_size, theta, off, sizes, hoff, act,
                    out_kind, bn, bn_momentum, bn_eps, rmean, rvar, pen, kind,
                    hp, s1, s2, s3, step):
    """One epoch of mini-batch training with a built-in optimizer.

    Batches are ``perm[i*batch_size:(i+1)*batch_size]``; with batch
    normalization a trailing batch of a single sample is merged into the
    previous one (batch statistics need two samples). ``theta``, the running
    statistics and the optimizer state ``s1, s2, s3`` are updated in place.

    Returns the mean (sample-weighted by batch size) training loss of the
    epoch and the optimizer's step count after the epoch.
    """
    n = perm.shape[0]
    p = X.shape[1]
    k = Y.shape[1]
    L = sizes.shape[0] - 1
    n_batches = n // batch_size
    rem = n - n_batches * batch_size
    if rem > 0:
        if bn and rem == 1 and n_batches > 0:
            pass  # merged into the last full batch
        else:
            n_batches += 1
    bmax = batch_size + 1
    tot = 0
    wmax = 0
    for layer in range(1, L + 1):
        tot += sizes[layer]
        if sizes[layer] > wmax:
            wmax = sizes[layer]
    H = tot - sizes[L]
    acts = np.empty(bmax * tot)
    xhats = np.empty(bmax * H)
    bmean = np.zeros(H)
    bvar = np.zeros(H)
    invstd = np.zeros(H)
    d1 = np.empty(bmax * wmax)
    d2 = np.empty(bmax * wmax)
    xbuf = np.empty(bmax * p)
    ybuf = np.empty(bmax * k)
    wbuf = np.empty(bmax)
    grad = np.zeros_like(theta)
    total = 0.0
    for b in range(n_batches):
        start = b * batch_size
        stop = min(start + batch_size, n)
        if b == n_batches - 1:
            stop = n
        B = stop - start
        Xb = xbuf[:B * p].reshape((B, p))
        Yb = ybuf[:B * k].reshape((B, k))
        swb = wbuf[:B]
        for i in range(B):
            r = perm[start + i]
            for j in range(p):
                Xb[i, j] = X[r, j]
            for j in range(k):
                Yb[i, j] = Y[r, j]
            swb[i] = sw[r]
        loss = _fwd_bwd(Xb, Yb, swb, theta, grad, off, sizes, hoff, act,
                        out_kind, bn, bn_eps, pen, acts, xhats, bmean, bvar,
                        invstd, d1, d2)
        if bn:
            bn_update_running(rmean, rvar, bmean, bvar, bn_momentum, B)
        step += 1
        optim_update(kind, theta, grad, s1, s2, s3, hp, step)
        total += loss * B
    return total / n, step


@jit
def mlp_forward(X, theta, off, sizes, hoff, act, out_kind, bn, rmean, rvar,
                bn_eps):
    """Inference: network output for every row of ``X``.

    Batch normalization uses the running statistics. The output is the
    identity (regression), the logistic probability (one unit) or the softmax
    probabilities.
    """
    n = X.shape[0]
    L = sizes.shape[0] - 1
    prev = np.empty((0, 0))
    for layer in range(L):
        fi = sizes[layer]
        fo = sizes[layer + 1]
        W = theta[off[layer, 0]:off[layer, 0] + fi * fo].reshape((fi, fo))
        Z = np.empty((n, fo))
        if layer == 0:
            np.dot(X, W, Z)
        else:
            np.dot(prev, W, Z)
        hidden = layer < L - 1
        if bn and hidden:
            h = hoff[layer]
            gamma = theta[off[layer, 2]:off[layer, 2] + fo]
            beta = theta[off[layer, 3]:off[layer, 3] + fo]
            inv = np.empty(fo)
            for j in range(fo):
                inv[j] = gamma[j] / np.sqrt(rvar[h + j] + bn_eps)
            for i in range(n):
                for j in range(fo):
                    Z[i, j] = (Z[i, j] - rmean[h + j]) * inv[j] + beta[j]
        else:
            _add_bias(Z, theta[off[layer, 1]:off[layer, 1] + fo])
        if hidden:
            _activate(Z, act)
        prev = Z
    k = sizes[L]
    if out_kind == OUT_LOGISTIC:
        for i in range(n):
            for j in range(k):
                prev[i, j] = 1.0 / (1.0 + np.exp(-prev[i, j]))
    elif out_kind == OUT_SOFTMAX:
        for i in range(n):
            zmax = prev[i, 0]
            for j in range(1, k):
                if prev[i, j] > zmax:
                    zmax = prev[i, j]
            s = 0.0
            for j in range(k):
                prev[i, j] = np.exp(prev[i, j] - zmax)
                s += prev[i, j]
            for j in range(k):
                prev[i, j] /= s
    return prev
