"""Which OpenBLAS kernels this CPU can run: the notebooks are tested under each of them.

A reader's numbers come from their own CPU: OpenBLAS picks its kernel from the processor,
and each kernel sums float32 products in its own order. ``make notebooks-kernels`` runs
every notebook under several forced kernels (``OPENBLAS_CORETYPE``) so that a claim which
holds on one order of rounding only fails here, not on a reader's machine.

A forced kernel must be one the CPU can execute, or the process dies of an illegal
instruction. This script prints, one per line, the kernels of its arguments that this
CPU supports (by the flags in /proc/cpuinfo, then confirmed by a probe process that
forces the kernel and multiplies two matrices), and says on stderr why it skips any
other. Kernels that resolve to the same OpenBLAS core are printed once. When the core
OpenBLAS picks by itself on this CPU is none of them (an ARM machine, say), ``default``
comes first: the run with no kernel forced.

With ``--except-own-pick`` the core OpenBLAS picks by itself is left out (neither its
kernel nor ``default``): ``make test``'s site build executes every notebook under exactly
that core at 1 thread, and a failing cell fails the build, so running it here as well
would only repeat that run.

    python tests/openblas_kernels.py [--except-own-pick] Haswell SkylakeX Sandybridge Prescott
"""

import os
import subprocess
import sys
from pathlib import Path

#: the CPU flags (as /proc/cpuinfo spells them) each kernel's code needs
REQUIRED_FLAGS = {
    "SkylakeX": {"avx512f", "avx512bw", "avx512dq", "avx512vl"},
    "Haswell": {"avx2", "fma"},
    "Sandybridge": {"avx"},
    "Prescott": {"pni"},  # SSE3
}

PROBE = """
import ctypes, glob, os, numpy as np
a = np.arange(64, dtype=np.float32).reshape(8, 8) / 7
assert np.isfinite(a @ a).all()
libs = glob.glob(os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs", "*openblas*"))
name = "unknown"
for lib in libs:
    for symbol in ("scipy_openblas_get_corename64_", "openblas_get_corename64_",
                   "openblas_get_corename"):
        f = getattr(ctypes.CDLL(lib), symbol, None)
        if f is not None:
            f.restype = ctypes.c_char_p
            name = f().decode()
            break
print(name)
"""


def cpu_flags():
    """The CPU's feature flags, or None where /proc/cpuinfo cannot be read."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return None


def probe(kernel):
    """The core OpenBLAS reports when ``kernel`` is forced (None: the environment as it is)."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    if kernel:
        env["OPENBLAS_CORETYPE"] = kernel
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60
    )
    if done.returncode:
        return None, f"the probe exited with status {done.returncode}"
    return done.stdout.strip(), None


def runnable(kernels, except_own_pick=False):
    flags = cpu_flags()
    chosen, cores = [], {}  # the core each chosen kernel runs
    for kernel in kernels:
        needed = REQUIRED_FLAGS.get(kernel)
        if needed is None:
            sys.exit(f"unknown kernel {kernel!r}: choose from {sorted(REQUIRED_FLAGS)}")
        if flags is None:
            print(f"skip {kernel}: cannot read this CPU's flags", file=sys.stderr)
            continue
        missing = sorted(needed - flags)
        if missing:
            print(
                f"skip {kernel}: this CPU lacks {', '.join(missing)} "
                "(forcing it would crash with an illegal instruction)",
                file=sys.stderr,
            )
            continue
        core, error = probe(kernel)
        if error:
            print(f"skip {kernel}: {error}", file=sys.stderr)
        elif core in cores:
            print(f"skip {kernel}: runs the same core ({core}) as one already chosen",
                  file=sys.stderr)  # fmt: skip
        else:
            cores[core] = kernel
            chosen.append(kernel)
    default, error = probe(None)
    if error:
        sys.exit(f"OpenBLAS fails with no kernel forced: {error}")
    if except_own_pick:
        own = cores.get(default, "default")
        print(f"skip {own}: OpenBLAS's own pick ({default}), which the site build runs",
              file=sys.stderr)  # fmt: skip
        return [kernel for kernel in chosen if kernel != own]
    if default not in cores:
        chosen.insert(0, "default")
    return chosen


if __name__ == "__main__":
    arguments = sys.argv[1:]
    flag = "--except-own-pick"
    print("\n".join(runnable([a for a in arguments if a != flag], flag in arguments)))
