#!/usr/bin/env python3
"""Lanes' evmbench against the evmone driver, from two saved outputs of the same hour:
    compare.py LANES_EVMBENCH_OUTPUT EVMONE_DRIVE_OUTPUT
prints per case our Mgas/s over evmone's (cached and analysed columns) and the geometric means over the 25
cases other than JUMPDEST_n0 and loop_with_many_jumpdests (issue 14's measure)."""
import math, sys

EXCLUDED = ("JUMPDEST_n0", "loop_with_many_jumpdests")


def cases(path, columns):
    out = {}
    for line in open(path):
        f = line.split()
        if f and (f[0].startswith("main/") or f[0].startswith("micro/")) and len(f) >= max(columns) + 1:
            out[f[0]] = tuple(float(f[c]) for c in columns)
    return out


def lanes_cases(path):
    """Per case (cached Mgas/s, analysed Mgas/s) from `./lanes evmbench` output (case, gas, expected, cached us,
    cached Mgas/s, analysed us, analysed Mgas/s, ...)."""
    return cases(path, (4, 6))


def peer_cases(path):
    """Per case (Mgas/s,) from the evmone driver's output (case, gas, Mgas/s)."""
    return cases(path, (2,))


if __name__ == "__main__":
    lanes = lanes_cases(sys.argv[1])
    peer = peer_cases(sys.argv[2])
    names = [n for n in peer if n in lanes]
    for n in names:
        print(f"{n:42s} evmone {peer[n][0]:8.0f}  cached {lanes[n][0] / peer[n][0]:6.2f}x  analysed {lanes[n][1] / peer[n][0]:6.2f}x")
    measured = [n for n in names if not any(e in n for e in EXCLUDED)]
    for label, col in (("cached", 0), ("analysed", 1)):
        g = math.exp(sum(math.log(lanes[n][col] / peer[n][0]) for n in measured) / len(measured))
        low = min(measured, key=lambda n: lanes[n][col] / peer[n][0])
        print(f"{label}: geometric mean {g:.3f}x over {len(measured)} cases; lowest {low} {lanes[low][col] / peer[low][0]:.2f}x")
