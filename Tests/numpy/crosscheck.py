#!/usr/bin/env python3
"""nnplay against numpy: an implementation of SPEC.md's training math that shares no code with nnplay.

For a seeded sweep of awkward sizes (point counts that are not multiples of 8, above 16, 1, 300…), widths,
depths, every hidden activation, every output/loss pair, every optimiser and regulariser, this script
writes a model file with random weights *and biases* and CSV data, has the nnplay binary load them, print
`stats`, `stats grads json`, `backprop X Y class=C json` for one training point and a small `plot landscape
W,B json` along two named parameters, take full-batch
training steps and save the model again, then recomputes all of it with numpy: the losses and accuracies
`stats` printed (to the 6 digits it prints), each layer's full-batch weight-gradient norm and one
point's loss, δ, ∂C/∂w and ∂C/∂b (to 1e-9), the landscape's 15 cells (to 1e-9), and every weight after the steps (to 1e-9); a configuration whose steps diverge is skipped (at most a tenth may be). Usage: crosscheck.py NNPLAY_BINARY [--configs N] [--seed S]. Prints one line per failure and
a summary; exits 1 on any failure.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

FEATURES = ["x", "y", "x2", "y2", "xy", "sinx", "siny", "cosx", "cosy"]
HIDDEN = ["linear", "sigmoid", "tanh", "relu", "leaky-relu", "elu", "selu", "swish", "mish", "softplus"]
# (output, loss) pairs SPEC allows
PAIRS = [("sigmoid", "bce"), ("sigmoid", "mse"), ("softmax", "ce"), ("softmax", "mse"), ("tanh", "mse"), ("linear", "mse")]
SIZES = [1, 7, 9, 15, 17, 20, 23, 25, 31, 33, 63, 65, 100, 255, 257, 300]
LAMBDA, ALPHA = 1.0507009873554804934193349852946, 1.6732632423543772848170429916717


def feature(name, x, y):
    return {"x": x, "y": y, "x2": x * x, "y2": y * y, "xy": x * y, "sinx": np.sin(x), "siny": np.sin(y),
            "cosx": np.cos(x), "cosy": np.cos(y)}[name]


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))   # no overflow warnings; equal to 1/(1+e^-z) to rounding


def softplus(z):
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


def act(name, z):
    if name == "linear": return z
    if name == "sigmoid": return sigmoid(z)
    if name == "tanh": return np.tanh(z)
    if name == "relu": return np.where(z > 0, z, 0.0)
    if name == "leaky-relu": return np.where(z > 0, z, 0.01 * z)
    if name == "elu": return np.where(z > 0, z, np.expm1(np.minimum(z, 0)))
    if name == "selu": return LAMBDA * np.where(z > 0, z, ALPHA * np.expm1(np.minimum(z, 0)))
    if name == "swish": return z * sigmoid(z)
    if name == "mish": return z * np.tanh(softplus(z))
    if name == "softplus": return softplus(z)
    raise ValueError(name)


def dact(name, z):
    if name == "linear": return np.ones_like(z)
    if name == "sigmoid": s = sigmoid(z); return s * (1 - s)
    if name == "tanh": return 1 - np.tanh(z) ** 2
    if name == "relu": return np.where(z > 0, 1.0, 0.0)
    if name == "leaky-relu": return np.where(z > 0, 1.0, 0.01)
    if name == "elu": return np.where(z > 0, 1.0, np.exp(np.minimum(z, 0)))
    if name == "selu": return LAMBDA * np.where(z > 0, 1.0, ALPHA * np.exp(np.minimum(z, 0)))
    if name == "swish": s = sigmoid(z); return s + z * s * (1 - s)
    if name == "mish": t = np.tanh(softplus(z)); return t + z * (1 - t * t) * sigmoid(z)
    if name == "softplus": return sigmoid(z)
    raise ValueError(name)


class Model:
    def __init__(self, features, hidden, output, classes, rng):
        self.features, self.hidden, self.output, self.classes = features, hidden, output, classes
        outputs = classes if (output == "softmax" or classes > 2) else 1
        sizes = [len(features)] + [h[0] for h in hidden] + [outputs]
        # weights and biases both random, so that every parameter's gradient is exercised
        self.W = [rng.uniform(-1.2, 1.2, (sizes[k + 1], sizes[k])) for k in range(len(sizes) - 1)]
        self.b = [rng.uniform(-0.6, 0.6, sizes[k + 1]) for k in range(len(sizes) - 1)]

    def targets(self, labels):
        on, off = (1.0, 0.0) if self.output in ("sigmoid", "softmax") else (1.0, -1.0)
        outputs = self.W[-1].shape[0]
        if outputs == 1:
            return np.where(labels == 1, on, off)[:, None]
        return np.where(np.arange(outputs)[None, :] == labels[:, None], on, off)

    def forward(self, X):
        a, zs, acts = X, [], [X]
        for k, (W, b) in enumerate(zip(self.W, self.b)):
            z = a @ W.T + b
            zs.append(z)
            if k < len(self.W) - 1:
                a = act(self.hidden[k][1], z)
            elif self.output == "softmax":
                e = np.exp(z - z.max(axis=1, keepdims=True))
                a = e / e.sum(axis=1, keepdims=True)
            else:
                a = act(self.output, z)
            acts.append(a)
        return zs, acts

    def losses(self, X, labels, loss):
        zs, acts = self.forward(X)
        z, a, y = zs[-1], acts[-1], self.targets(labels)
        if loss == "ce" and self.output == "softmax":
            m = z.max(axis=1, keepdims=True)
            lse = (m + np.log(np.exp(z - m).sum(axis=1, keepdims=True)))[:, 0]
            return lse - z[np.arange(len(labels)), labels]
        if loss in ("bce", "ce"):
            return (np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))).sum(axis=1)
        return 0.5 * ((a - y) ** 2).sum(axis=1)

    def accuracy_range(self, X, labels):
        """The fewest and most points classified right: a point whose top two outputs (or whose single
        output and the threshold) agree to rounding, e.g. two saturated tanh outputs, may go either way
        in another implementation's last bits."""
        a = self.forward(X)[1][-1]
        if a.shape[1] == 1:
            threshold = 0.5 if self.output == "sigmoid" else 0.0
            predicted, margin = (a[:, 0] > threshold).astype(int), np.abs(a[:, 0] - threshold)
        else:
            predicted = a.argmax(axis=1)
            top2 = np.sort(a, axis=1)[:, -2:]
            margin = top2[:, 1] - top2[:, 0]
        tied = margin <= 1e-12
        right = (predicted == labels)
        return (right & ~tied).mean(), (right | tied).mean()

    def gradient(self, X, labels, loss, reg, rate, noise=False):
        """The mean loss's gradient; with noise=True also a bound on each entry's rounding noise (below)."""
        zs, acts = self.forward(X)
        a, y, n = acts[-1], self.targets(labels), len(labels)
        if loss in ("bce", "ce"):
            delta = a - y
        elif self.output == "softmax":
            g = a - y
            delta = a * (g - (a * g).sum(axis=1, keepdims=True))
        elif self.output == "sigmoid":
            delta = (a - y) * a * (1 - a)
        elif self.output == "tanh":
            delta = (a - y) * (1 - a * a)
        else:
            delta = a - y
        delta = delta / n
        # Rounding noise, absolute: a saturated unit's a or f'(z) = a(1-a), 1-a², a+1 … is computed with
        # cancellation, so each carries noise of a few ulps of 1 whatever its size (E per value).
        E = 16 * np.finfo(float).eps
        err = E * (1 + np.abs(a - y)) * np.ones_like(delta) / n
        gW, gb = [None] * len(self.W), [None] * len(self.W)
        eW, eb = [None] * len(self.W), [None] * len(self.W)
        for k in range(len(self.W) - 1, -1, -1):
            gW[k] = delta.T @ acts[k]
            gb[k] = delta.sum(axis=0)
            eW[k] = err.T @ np.abs(acts[k]) + np.abs(delta).T @ (E * (1 + np.abs(acts[k])))
            eb[k] = err.sum(axis=0)
            if reg == "l2": gW[k] = gW[k] + rate * self.W[k]
            if reg == "l1": gW[k] = gW[k] + rate * np.sign(self.W[k])
            if k > 0:
                d = dact(self.hidden[k - 1][1], zs[k - 1])
                back = delta @ self.W[k]
                err = (err @ np.abs(self.W[k])) * (np.abs(d) + E) + (np.abs(delta) @ np.abs(self.W[k])) * E * (1 + np.abs(d))
                delta = back * d
        return (gW, gb, eW, eb) if noise else (gW, gb)

    def to_json(self, settings):
        layers = []
        for k, (W, b) in enumerate(zip(self.W, self.b)):
            name = self.hidden[k][1] if k < len(self.hidden) else self.output
            layers.append({"size": W.shape[0], "activation": name, "weights": W.tolist(), "biases": b.tolist()})
        return json.dumps({"format": "nnplay-model", "version": 1, "features": self.features,
                           "classes": self.classes, "layers": layers, "settings": settings})


# rmsprop's ρ: the engine's default `decay` (the model file does not carry it, so nnplay uses 0.9)
RMSPROP_DECAY = 0.9


def train_steps(model, X, labels, s, steps):
    """Full-batch steps with SPEC's optimisers (state starts empty, as after load model). Returns, per
    parameter, how far rounding alone may move it: 0 except for Adam, rmsprop and adagrad, whose steps
    lr·g/(√v+ε) turn the rounding noise of a gradient near 0 (a saturated unit's, or one that cancels)
    into that noise times lr/ε (up to 3e7 here), twice the bound `gradient` gives, per step."""
    params = model.W + model.b
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    allowance = [np.zeros_like(p) for p in params]
    for t in range(1, steps + 1):
        gW, gb, eW, eb = model.gradient(X, labels, s["loss"], s["reg"], s["regRate"], noise=True)
        grads = gW + gb
        if s["optimizer"] in ("adam", "rmsprop", "adagrad"):
            for i, e in enumerate(eW + eb):
                allowance[i] += 2 * s["lr"] * e / s["epsilon"]
        for i, (p, g) in enumerate(zip(params, grads)):
            if s["optimizer"] == "sgd":
                p -= s["lr"] * g
            elif s["optimizer"] == "momentum":
                m[i] = s["momentum"] * m[i] + g
                p -= s["lr"] * m[i]
            elif s["optimizer"] == "nesterov":
                # PyTorch's form: v ← μv + g, w ← w − lr·(g + μv)
                m[i] = s["momentum"] * m[i] + g
                p -= s["lr"] * (g + s["momentum"] * m[i])
            elif s["optimizer"] == "rmsprop":
                v[i] = RMSPROP_DECAY * v[i] + (1 - RMSPROP_DECAY) * g * g
                p -= s["lr"] * g / (np.sqrt(v[i]) + s["epsilon"])
            elif s["optimizer"] == "adagrad":
                v[i] = v[i] + g * g
                p -= s["lr"] * g / (np.sqrt(v[i]) + s["epsilon"])
            else:
                m[i] = s["beta1"] * m[i] + (1 - s["beta1"]) * g
                v[i] = s["beta2"] * v[i] + (1 - s["beta2"]) * g * g
                mh, vh = m[i] / (1 - s["beta1"] ** t), v[i] / (1 - s["beta2"] ** t)
                p -= s["lr"] * mh / (np.sqrt(vh) + s["epsilon"])
    return allowance


def stats_values(text):
    values = {}
    for line in text.splitlines():
        if line.startswith("epoch="):
            values = dict(item.split("=", 1) for item in line.split())
    return values


def close(printed, exact):
    """stats prints 6 significant digits."""
    return abs(float(printed) - exact) <= 5e-6 * max(abs(exact), 1e-300) + 1e-12


def within(printed, bounds):
    low, high = bounds
    return close(printed, low) or close(printed, high) or low <= float(printed) <= high


def write_csv(path, X, labels):
    with open(path, "w") as f:
        f.write("x,y,label\n")
        for (x, y), c in zip(X, labels):
            f.write(f"{float(x)!r},{float(y)!r},{int(c)}\n")


def run_config(binary, rng, index, tmp):
    classes = int(rng.choice([2, 2, 3, 4]))
    n_train = SIZES[index % len(SIZES)]
    n_test = int(rng.choice(SIZES))
    features = [f for f in FEATURES if rng.random() < 0.5] or ["x", "y"]
    depth = int(rng.integers(0, 4))
    hidden = [(int(rng.integers(1, 41 if rng.random() < 0.3 else 12)), str(rng.choice(HIDDEN))) for _ in range(depth)]
    output, loss = PAIRS[int(rng.integers(len(PAIRS)))]
    if classes > 2 and loss == "ce":
        output = "softmax"
    settings = {"lr": float(rng.choice([0.01, 0.1, 0.3])), "batch": n_train,
                "optimizer": str(rng.choice(["sgd", "momentum", "adam", "rmsprop", "adagrad", "nesterov"])), "momentum": 0.9,
                "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "loss": loss,
                "reg": str(rng.choice(["none", "l1", "l2"])), "regRate": 0.0, "init": "xavier", "seed": 1}
    if settings["reg"] != "none":
        settings["regRate"] = float(rng.choice([0.001, 0.03]))
    steps = int(rng.integers(1, 4))
    model = Model(features, hidden, output, classes, rng)

    def points(n):
        xy = rng.uniform(-5, 5, (n, 2))
        labels = rng.integers(0, classes, n)
        labels[: min(n, classes)] = np.arange(min(n, classes))   # every class present when n allows
        return xy, labels

    (train_xy, train_labels), (test_xy, test_labels) = points(max(n_train, classes)), points(max(n_test, classes))
    n_train, n_test = len(train_labels), len(test_labels)
    settings["batch"] = n_train
    X = lambda xy: np.stack([feature(f, xy[:, 0], xy[:, 1]) for f in features], axis=1)
    Xtr, Xte = X(train_xy), X(test_xy)
    d = os.path.join(tmp, str(index))
    os.makedirs(d)
    m0, m1 = os.path.join(d, "m0.json"), os.path.join(d, "m1.json")
    train_csv, test_csv = os.path.join(d, "train.csv"), os.path.join(d, "test.csv")
    with open(m0, "w") as f:
        f.write(model.to_json(settings))
    write_csv(train_csv, train_xy, train_labels)
    write_csv(test_csv, test_xy, test_labels)
    probe = int(rng.integers(n_train))
    # the landscape along two named parameters: the first hidden layer's weight from input 1 (or the
    # output's) across, the output's first bias up
    first = "1.1" if hidden else "out.1"
    axes, span = f"{first}:1,out.1:b", float(rng.choice([0.5, 1.5]))
    px, py, plabel = float(train_xy[probe, 0]), float(train_xy[probe, 1]), int(train_labels[probe])
    script = "\n".join([f"data load {train_csv} test=0", f"load model {m0}", "stats", "stats grads json",
                        f"backprop {px!r} {py!r} class={plabel} json",
                        f"plot landscape {axes} span={span!r} size=5x3 json",
                        f"train {steps} steps", f"save model {m1}",
                        f"data load {test_csv} test=1", "stats"]) + "\n"
    what = (f"config {index}: {n_train} train / {n_test} test points, {classes} classes, features {' '.join(features)}, "
            f"hidden {hidden}, output {output}, loss {loss}, {settings['optimizer']}, reg {settings['reg']} "
            f"{settings['regRate']}, {steps} steps")
    r = subprocess.run([binary, "-q"], input=script, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        return [f"{what}: nnplay failed ({r.returncode}): {r.stderr.strip()}"]
    failures, worst = [], 0.0
    blocks = [stats_values(line) for line in r.stdout.splitlines() if line.startswith("epoch=")]
    if len(blocks) != 2:
        return [f"{what}: expected two stats lines, got:\n{r.stdout}"]
    before = blocks[0]
    loss0 = model.losses(Xtr, train_labels, loss).mean()
    acc0 = model.accuracy_range(Xtr, train_labels)
    if not close(before["train-loss"], loss0):
        failures.append(f"{what}: train-loss {before['train-loss']}, numpy {loss0:.9g}")
    if not within(before["train-accuracy"], acc0):
        failures.append(f"{what}: train-accuracy {before['train-accuracy']}, numpy {acc0[0]:.9g}…{acc0[1]:.9g}")
    jsons = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    if len(jsons) != 3:
        return [f"{what}: expected the JSON of stats grads, backprop and plot landscape, got:\n{r.stdout}"]
    failures += check_gradients(model, Xtr, train_labels, loss, jsons[0], what)
    failures += check_backprop(model, Xtr[probe:probe + 1], train_labels[probe:probe + 1], loss, jsons[1], what)
    failures += check_landscape(model, Xtr, train_labels, loss, span, jsons[2], what)
    with np.errstate(all="ignore"):
        allowance = train_steps(model, Xtr, train_labels, settings, steps)
    if not all(np.isfinite(p).all() and np.abs(p).max(initial=0) < 1e6 for p in model.W + model.b):
        # the steps diverged (nnplay then stops and keeps earlier weights, by design): nothing to compare
        return "skipped"
    with open(m1) as f:
        saved = json.load(f)["layers"]
    layers = len(saved)
    for k, layer in enumerate(saved):
        for name, mine, theirs, slack in (("weights", model.W[k], np.array(layer["weights"]), allowance[k]),
                                          ("biases", model.b[k], np.array(layer["biases"]), allowance[layers + k])):
            if not mine.size:
                continue
            scale = max(1.0, np.abs(mine).max())
            # beyond what rounding through lr/ε (adam, rmsprop, adagrad) may account for
            excess = np.maximum(np.abs(mine - theirs) - slack, 0).max() if theirs.shape == mine.shape else np.inf
            worst = max(worst, excess / scale)
            if not excess <= 1e-9 * scale:
                diff = np.abs(mine - theirs).max() if theirs.shape == mine.shape else np.inf
                failures.append(f"{what}: layer {k + 1} {name} after the steps differ by {diff:.3g}")
    after = blocks[1]
    loss1 = model.losses(Xte, test_labels, loss).mean()
    acc1 = model.accuracy_range(Xte, test_labels)
    if not close(after["test-loss"], loss1):
        failures.append(f"{what}: test-loss {after['test-loss']}, numpy {loss1:.9g}")
    if not within(after["test-accuracy"], acc1):
        failures.append(f"{what}: test-accuracy {after['test-accuracy']}, numpy {acc1[0]:.9g}…{acc1[1]:.9g}")
    return failures, worst


def agree(theirs, mine, tolerance=1e-9):
    """Values nnplay printed (None where not finite) against numpy's, relative to the larger of 1 and |numpy|."""
    theirs = np.array([np.nan if v is None else v for v in np.ravel(np.array(theirs, dtype=object))], dtype=float)
    mine = np.ravel(mine)
    if theirs.shape != mine.shape:
        return False
    finite = np.isfinite(mine)
    if not np.array_equal(finite, np.isfinite(theirs)):
        return False
    return bool((np.abs(theirs[finite] - mine[finite]) <= tolerance * np.maximum(1.0, np.abs(mine[finite]))).all())


def check_gradients(model, X, labels, loss, printed, what):
    """`stats grads json`: each layer's L2 norm of the weight gradient of the mean loss, no regularisation."""
    with np.errstate(all="ignore"):
        gW, _ = model.gradient(X, labels, loss, "none", 0.0)
    names = [str(k + 1) for k in range(len(gW) - 1)] + ["out"]
    failures = []
    for name, g in zip(names, gW):
        norm = float(np.sqrt((g * g).sum()))
        value = printed.get(f"grad-norm-{name}")
        if value is None or not abs(value - norm) <= 1e-9 * max(norm, 1e-300) + 1e-15:
            failures.append(f"{what}: grad-norm-{name} {value}, numpy {norm:.12g}")
    return failures


def check_backprop(model, X, labels, loss, printed, what):
    """`backprop X Y class=C json` of one point: its loss, and per layer (output first) δ, ∂C/∂w, ∂C/∂b."""
    failures = []
    with np.errstate(all="ignore"):
        point_loss = float(model.losses(X, labels, loss)[0])
        gW, gb = model.gradient(X, labels, loss, "none", 0.0)   # the mean over one point: that point's
    if printed.get("loss") is None or not abs(printed["loss"] - point_loss) <= 1e-9 * max(1.0, abs(point_loss)):
        failures.append(f"{what}: backprop loss {printed.get('loss')}, numpy {point_loss:.12g}")
    layers = printed.get("layers", [])
    if len(layers) != len(gW):
        return failures + [f"{what}: backprop shows {len(layers)} layers, the model has {len(gW)}"]
    for entry, g, b in zip(layers, reversed(gW), reversed(gb)):
        for key, mine in (("dC_dw", g), ("dC_db", b), ("dC_dz", b)):
            if not agree(entry.get(key, []), mine):
                failures.append(f"{what}: backprop layer {entry.get('layer')} {key} differs from numpy")
    return failures


def check_landscape(model, X, labels, loss, span, printed, what):
    """`plot landscape W,B span=S size=5x3 json`: cell (c, r) is the mean training loss with the first
    layer's weight from neuron 1 to input 1 moved by u_c and the output's first bias by v_r, u and v
    running from -span to +span (rows from v = -span)."""
    us, vs = np.linspace(-span, span, 5), np.linspace(-span, span, 3)
    expected = np.empty((3, 5))
    w0, b0 = model.W[0][0, 0], model.b[-1][0]
    with np.errstate(all="ignore"):
        for r, v in enumerate(vs):
            for c, u in enumerate(us):
                model.W[0][0, 0], model.b[-1][0] = w0 + u, b0 + v
                expected[r, c] = model.losses(X, labels, loss).mean()
    model.W[0][0, 0], model.b[-1][0] = w0, b0
    if printed.get("size") != [5, 3] or printed.get("span") != span:
        return [f"{what}: landscape size {printed.get('size')} span {printed.get('span')}, asked 5x3 span {span}"]
    if not agree(printed.get("loss", []), expected):
        return [f"{what}: landscape losses differ from numpy:\n{printed.get('loss')}\n{expected.tolist()}"]
    return []


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        return 2
    binary = args[0]
    configs = int(args[args.index("--configs") + 1]) if "--configs" in args else 120
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 9
    rng = np.random.default_rng(seed)
    failures, worst, skipped = [], 0.0, 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(configs):
            result = run_config(binary, rng, i, tmp)
            if result == "skipped":
                skipped += 1
                continue
            if isinstance(result, tuple):
                found, w = result
                worst = max(worst, w)
            else:
                found = result
            failures += found
    if skipped > configs // 10:
        failures.append(f"{skipped} of {configs} configurations diverged: too few were compared")
    for f in failures:
        print("FAIL", f)
    print(f"numpy cross-check: {configs} configurations, {len(failures)} failures, {skipped} diverged (skipped), "
          f"largest relative weight difference {worst:.3g}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
