#!/usr/bin/env python3
"""Lanes' evmbench against the evmone driver in alternating rounds, for figures this noisy machine can carry:
    rounds.py PEER_DIR [--rounds K] [--warmup-ms MS] [--out DIR] [--interleave] [-- EXTRA_LANES_JAVA_OPTS...]
Each round runs the evmone driver (PEER_DIR/evmone-drive) and then `./lanes evmbench --isolate --runs 21` (one JVM per
case), so every ratio pairs runs minutes apart at most. Prints per case the median over the rounds of our Mgas/s over
evmone's (cached and analysed columns), and the geometric mean of those medians over issue 14's 25 cases, with the
spread of the per-round geometric means. One vCPU here runs slower than the other for minutes at a time
(docs/benchmarks.md, session 18): a single round's per-case ratio can be off by 1.5x; the median of three or more is
what to quote. With --interleave each round goes case by case instead: the driver on the case, our evmbench on it
(a JVM of its own), the driver on it again, and the ratio is ours over the mean of the two driver runs, so that each
ratio spans seconds rather than the minutes between two whole suites (the machine's speed moves within minutes:
docs/benchmarks.md, session 28). Run from the repository root; the raw outputs stay in --out (default
/tmp/evmone-rounds)."""
import re
import math, os, statistics, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import EXCLUDED, lanes_cases, peer_cases  # noqa: E402


def main(argv):
    extra = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    if not argv or argv[0].startswith("-"):
        sys.exit(__doc__)
    peer_dir, rounds, warm, out, interleave = argv[0], 3, 400, "/tmp/evmone-rounds", False
    it = iter(argv[1:])
    for a in it:
        if a == "--rounds": rounds = int(next(it))
        elif a == "--warmup-ms": warm = int(next(it))
        elif a == "--out": out = next(it)
        elif a == "--interleave": interleave = True
        else: sys.exit("rounds.py: unknown argument " + a)
    if rounds < 1: sys.exit("rounds.py: --rounds must be at least 1")
    os.makedirs(out, exist_ok=True)
    # The launcher's default JVM options (./lanes) and thread CPU time, as the driver measures.
    opts = ("-Xss64m -XX:+UseParallelGC -Xms1g -XX:-UseAdaptiveSizePolicy -XX:+UseTransparentHugePages"
            " -XX:+UnlockDiagnosticVMOptions -XX:-UseSwitchProfiling -Dlanes.evmbench.cpuTime=true")
    env = dict(os.environ, LANES_JAVA_OPTS=" ".join([opts] + extra))
    ratios = []  # per round: {case: (cached, analysed)}
    names_all = None
    for r in range(1, rounds + 1):
        if interleave:
            if names_all is None:
                with open(f"{out}/peer-list.txt", "w") as f:
                    subprocess.run(["./evmone-drive", "--runs", "1"], cwd=peer_dir, stdout=f, stderr=subprocess.STDOUT,
                                   check=True)
                names_all = list(peer_cases(f"{out}/peer-list.txt"))
            ratios.append(interleaved_round(peer_dir, names_all, warm, env, f"{out}/round-{r}"))
            print(f"round {r}: {out}/round-{r}-*.txt", file=sys.stderr)
            continue
        peer_out, lanes_out = f"{out}/peer-{r}.txt", f"{out}/lanes-{r}.txt"
        with open(peer_out, "w") as f:
            subprocess.run(["./evmone-drive"], cwd=peer_dir, stdout=f, stderr=subprocess.STDOUT, check=True)
        with open(lanes_out, "w") as f:
            subprocess.run(["./lanes", "evmbench", "--isolate", "--runs", "21", "--warmup-ms", str(warm),
                            "../shared/evm-benchmarks"], env=env, stdout=f, stderr=subprocess.STDOUT, check=True)
        lanes, peer = lanes_cases(lanes_out), peer_cases(peer_out)
        ratios.append({n: (lanes[n][0] / peer[n][0], lanes[n][1] / peer[n][0]) for n in peer if n in lanes})
        print(f"round {r}: {peer_out}, {lanes_out}", file=sys.stderr)
    names = [n for n in ratios[0] if all(n in rr for rr in ratios)]
    med = {n: tuple(statistics.median(rr[n][c] for rr in ratios) for c in (0, 1)) for n in names}
    for n in names:
        print(f"{n:42s} cached {med[n][0]:6.2f}x  analysed {med[n][1]:6.2f}x   (rounds: "
              + " ".join(f"{rr[n][0]:.2f}" for rr in ratios) + ")")
    measured = [n for n in names if not any(e in n for e in EXCLUDED)]
    for label, col in (("cached", 0), ("analysed", 1)):
        g = math.exp(sum(math.log(med[n][col]) for n in measured) / len(measured))
        per_round = [math.exp(sum(math.log(rr[n][col]) for n in measured) / len(measured)) for rr in ratios]
        low = min(measured, key=lambda n: med[n][col])
        print(f"{label}: geometric mean of per-case medians {g:.3f}x over {len(measured)} cases ({rounds} rounds; per round "
              + ", ".join(f"{x:.3f}" for x in per_round) + f"); lowest {low} {med[low][col]:.2f}x")


def interleaved_round(peer_dir, names, warm, env, prefix):
    """One round case by case: driver, evmbench, driver; {case: (cached, analysed)} over the mean of the driver runs."""
    out = {}
    for k, n in enumerate(names):
        runs = []
        for step in ("peer-a", "lanes", "peer-b"):
            path = f"{prefix}-{k:02d}-{step}.txt"
            with open(path, "w") as f:
                if step == "lanes":
                    subprocess.run(["./lanes", "evmbench", "--runs", "21", "--warmup-ms", str(warm), "--case",
                                    "^" + re.escape(n) + "$", "../shared/evm-benchmarks"], env=env, stdout=f,
                                   stderr=subprocess.STDOUT, check=True)
                else:  # the driver's --case is a substring: it may run a few more; only this one is read
                    subprocess.run(["./evmone-drive", "--case", n], cwd=peer_dir, stdout=f, stderr=subprocess.STDOUT,
                                   check=True)
            runs.append(lanes_cases(path) if step == "lanes" else peer_cases(path))
        if n in runs[1] and n in runs[0] and n in runs[2]:
            peer = (runs[0][n][0] + runs[2][n][0]) / 2
            out[n] = (runs[1][n][0] / peer, runs[1][n][1] / peer)
    return out


if __name__ == "__main__":
    main(sys.argv[1:])
