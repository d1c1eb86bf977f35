"""Time one training step of an MLP in paramopt.nn and in torch, in the same run.

A step is forward + CrossEntropyLoss + backward of the MLP 64-256-256-10 with ReLU,
float32, for batch sizes 32, 256 and 2048 (torch: autograd with zero_grad each step);
a second table adds the optimiser: a full training step with Adam (paramopt.optim.Adam
against torch.optim.Adam with its CPU defaults).
Prints milliseconds per step (best of several repeats, after warm-up) and the ratio
paramopt / torch; below 1 means paramopt is faster.

    .venv/bin/python benchmarks/bench_nn.py [--repeats 15] [--seconds 0.05] [--threads N]

paramopt's backward is called with ``input_grad=False``: like torch, it does not compute
the gradient with respect to the data, which nothing needs.
"""

import argparse
import ctypes
import os
import sys
import time
from pathlib import Path

import numpy as np

import paramopt as po

WIDTHS = [64, 256, 256, 10]
BATCHES = [32, 256, 2048]


def openblas_threads():
    """(get, set) for the thread count of numpy's bundled OpenBLAS, or None if not found."""
    libs = Path(np.__file__).parent.parent / "numpy.libs"
    for path in sorted(libs.glob("libscipy_openblas*.so")):
        lib = ctypes.CDLL(str(path))  # already loaded by numpy: this is the same copy
        for prefix, suffix in [("scipy_openblas_", "64_"), ("openblas_", "")]:
            get = getattr(lib, f"{prefix}get_num_threads{suffix}", None)
            set_ = getattr(lib, f"{prefix}set_num_threads{suffix}", None)
            if get is not None and set_ is not None:
                return get, set_
    return None


def numpy_blas_threads():
    try:
        from threadpoolctl import threadpool_info

        return ", ".join(f"{p['internal_api']}={p['num_threads']}" for p in threadpool_info())
    except ImportError:
        pass
    found = openblas_threads()
    return f"openblas={found[0]()}" if found else "unknown (pip install threadpoolctl)"


def set_threads(torch, n):
    torch.set_num_threads(n)
    found = openblas_threads()
    if found is None:
        print("warning: cannot set numpy's BLAS threads; set OPENBLAS_NUM_THREADS instead")
    else:
        found[1](n)


def thread_report(torch):
    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    print(f"numpy {np.__version__}, BLAS {blas.get('name')} {blas.get('version')}")
    print(f"numpy BLAS threads: {numpy_blas_threads()}")
    print(f"torch {torch.__version__}, torch.get_num_threads() = {torch.get_num_threads()}")


def paramopt_step(model, loss, x, labels, optimizer=None):
    def step():
        loss.forward(model.forward(x), labels)
        model.backward(loss.backward(), input_grad=False)  # as torch: x needs no gradient
        if optimizer is not None:
            optimizer.step(model.gradients())

    return step


def torch_step(torch, model, x, labels, optimizer=None):
    loss_fn = torch.nn.CrossEntropyLoss()
    x, labels = torch.from_numpy(x), torch.from_numpy(labels)

    def step():
        model.zero_grad()
        loss_fn(model(x), labels).backward()
        if optimizer is not None:
            optimizer.step()

    return step


def torch_copy(torch, model):
    layers = []
    for layer in model:
        if isinstance(layer, po.nn.Linear):
            t = torch.nn.Linear(layer.in_features, layer.out_features, dtype=torch.float32)
            with torch.no_grad():
                t.weight.copy_(torch.from_numpy(layer.weight))
                t.bias.copy_(torch.from_numpy(layer.bias))
            layers.append(t)
        else:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def calls_per_block(step, seconds):
    """How many calls of ``step`` take about ``seconds`` (after a warm-up)."""
    for _ in range(3):
        step()
    start, calls = time.perf_counter(), 0
    while time.perf_counter() - start < seconds:
        step()
        calls += 1
    return max(3, calls)


def best_ms(steps, seconds, repeats):
    """Best time per call in ms of each step, timing blocks of the steps in turn.

    Alternating the blocks gives every step the same chances on a machine shared with
    other work; the best block is the one least disturbed.
    """
    sizes = [calls_per_block(step, seconds) for step in steps]
    best = [float("inf")] * len(steps)
    for _ in range(repeats):
        for i, (step, n) in enumerate(zip(steps, sizes, strict=True)):
            start = time.perf_counter()
            for _ in range(n):
                step()
            best[i] = min(best[i], (time.perf_counter() - start) / n * 1e3)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="timed blocks per step")
    parser.add_argument("--seconds", type=float, default=0.05, help="per block, roughly")
    parser.add_argument("--threads", type=int, help="threads for both (default: as found)")
    args = parser.parse_args()
    try:
        import torch
    except ImportError:
        print("bench_nn needs torch for the comparison: pip install torch", file=sys.stderr)
        return 1
    if args.threads:
        set_threads(torch, args.threads)
    thread_report(torch)
    rng = np.random.default_rng(0)
    model = po.nn.mlp(WIDTHS, activation="relu", rng=0, dtype=np.float32)
    reference = torch_copy(torch, model)
    loss = po.nn.CrossEntropyLoss()
    print(f"load average (1 min) before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    for with_adam in (False, True):
        what = "forward + loss + backward" + (" + Adam step" if with_adam else "")
        print(f"\nMLP {'-'.join(map(str, WIDTHS))} ReLU, float32, {what}")
        print(f"{'batch':>6} {'paramopt ms':>12} {'torch ms':>10} {'ratio':>7}")
        for batch in BATCHES:
            x = rng.standard_normal((batch, WIDTHS[0]), dtype=np.float32)
            labels = rng.integers(0, WIDTHS[-1], batch)
            ours_opt = po.optim.Adam(model.parameters()) if with_adam else None
            theirs_opt = torch.optim.Adam(reference.parameters()) if with_adam else None
            ours = paramopt_step(model, loss, x, labels, ours_opt)
            theirs = torch_step(torch, reference, x, labels, theirs_opt)
            po_best, torch_best = best_ms([ours, theirs], args.seconds, args.repeats)
            ratio = po_best / torch_best
            print(f"{batch:>6} {po_best:>12.3f} {torch_best:>10.3f} {ratio:>7.2f}")
    print(f"\nload average (1 min) after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
