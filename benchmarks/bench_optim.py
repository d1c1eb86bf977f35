"""Time one optimiser step on 10⁶ float32 parameters: paramopt against torch.optim.

Run ``python benchmarks/bench_optim.py``. Both libraries update the same three arrays
(900 000 + 1 000 + 99 000 = 10⁶ float32 numbers) from the same gradients, in the same
process. A time is the best of ``--repeat`` timings of ``--number`` steps, divided by
``--number``; within each repeat paramopt and torch are timed in turn, so a busy machine
slows both alike. "torch" is torch's CPU default, the single-tensor loop (what
``foreach=False`` selects); the ``foreach=True`` time is shown for information. Thread
counts are left at their defaults and printed. The last column compares paramopt's and
torch's parameters after all the timed steps: max |Δθ| / max |θ| (float32, so ~1e-6).
"""

import argparse
import os
import sys
import timeit

import numpy as np

import paramopt as po

SHAPES = [(1000, 900), (1000,), (99, 1000)]
CONFIGS = [
    ("SGD", {"lr": 1e-2}),
    ("SGD", {"lr": 1e-2, "momentum": 0.9, "nesterov": True}),
    ("Adagrad", {"lr": 1e-2}),
    ("RMSprop", {"lr": 1e-2}),
    ("RMSprop", {"lr": 1e-2, "momentum": 0.9, "centered": True}),
    ("Adam", {"lr": 1e-3}),
    ("Adam", {"lr": 1e-3, "amsgrad": True, "weight_decay": 1e-4}),
    ("AdamW", {"lr": 1e-3}),
]


def torch_optimizer(torch, name, kwargs, params, grads, foreach):
    tensors = [torch.tensor(p, requires_grad=True) for p in params]
    for tensor, grad in zip(tensors, grads, strict=True):
        tensor.grad = torch.tensor(grad)
    opt = getattr(torch.optim, name)(tensors, foreach=foreach, **kwargs)

    def step():
        with torch.no_grad():
            opt.step()

    return step, tensors


def bench(torch, name, kwargs, number, repeat):
    """Best ms per step of paramopt, torch and torch foreach=True; max |Δθ| / max |θ|."""
    rng = np.random.default_rng(0)
    params = [rng.standard_normal(s, dtype=np.float32) for s in SHAPES]
    grads = [rng.standard_normal(s, dtype=np.float32) for s in SHAPES]
    ours = getattr(po.optim, name)([p.copy() for p in params], **kwargs)
    torch_step, tensors = torch_optimizer(torch, name, kwargs, params, grads, foreach=False)
    foreach_step, _ = torch_optimizer(torch, name, kwargs, params, grads, foreach=True)
    steps = [lambda: ours.step(grads), torch_step, foreach_step]
    best = [float("inf")] * len(steps)
    for step in steps:
        step()  # torch creates its state lazily; warm the caches
    for _ in range(repeat):
        for i, step in enumerate(steps):
            best[i] = min(best[i], timeit.timeit(step, number=number) / number * 1e3)
    difference = max(
        float(np.max(np.abs(p - t.detach().numpy())) / np.max(np.abs(p)))
        for p, t in zip(ours.params, tensors, strict=True)
    )
    return (*best, difference)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=5, help="steps per timing")
    parser.add_argument("--repeat", type=int, default=40, help="timings; the best is kept")
    parser.add_argument("--torch-threads", type=int, help="torch.set_num_threads (default: keep)")
    args = parser.parse_args()
    try:
        import torch
    except ImportError:
        print("bench_optim compares with torch, which is not installed:", file=sys.stderr)
        print(
            "    pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu",
            file=sys.stderr,
        )
        return 1

    if args.torch_threads:
        torch.set_num_threads(args.torch_threads)
    print(f"numpy {np.__version__}, torch {torch.__version__}, {os.cpu_count()} CPUs")
    print(f"threads: torch {torch.get_num_threads()} (torch.get_num_threads()), numpy ufuncs 1")
    print(f"one step on {sum(np.prod(s) for s in SHAPES):,} float32 parameters in 3 arrays;")
    print(f"best of {args.repeat} x {args.number} steps; torch: CPU default (foreach=False)\n")
    header = (
        f"{'optimiser':<51} {'paramopt ms':>11} {'torch ms':>8} {'ratio':>5}"
        f" {'foreach ms':>10} {'|Δθ|/|θ|':>8}"
    )
    print(header)
    print("-" * len(header))
    for name, kwargs in CONFIGS:
        ours, theirs, foreach, difference = bench(torch, name, kwargs, args.number, args.repeat)
        label = f"{name}({', '.join(f'{k}={v}' for k, v in kwargs.items())})"
        print(
            f"{label:<51} {ours:>11.3f} {theirs:>8.3f} {ours / theirs:>5.2f}"
            f" {foreach:>10.3f} {difference:>8.1e}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
