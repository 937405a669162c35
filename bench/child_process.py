"""What the benchmarks run in a fresh Python process, and how they read its peak memory back.

Each child reports its own peak RSS: wait4's ru_maxrss would count the parent's memory a fork
inherits, VmHWM belongs to the child's own address space.
"""

from __future__ import annotations

# Prepended to a child's code: prints `VmHWM <KiB>` on stderr as the child exits.
PEAK = """
import atexit, sys
def _peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            sys.stderr.write(f"VmHWM {line.split()[1]}\\n")
atexit.register(_peak)
"""
# The nianbao CLI as a child's code: its arguments follow.
NIANBAO = "sys.argv = ['nianbao', *sys.argv[1:]]\nfrom nianbao.cli import main\nmain()\n"


def peak_mib(lines: list[str]) -> float:
    """The child's peak RSS (MiB) from what it said."""
    return next(int(line.split()[1]) for line in lines if line.startswith("VmHWM ")) / 1024
