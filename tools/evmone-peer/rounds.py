#!/usr/bin/env python3
"""Lanes' evmbench against the evmone driver in alternating rounds, for figures this noisy machine can carry:
    rounds.py PEER_DIR [--rounds K] [--warmup-ms MS] [--out DIR] [-- EXTRA_LANES_JAVA_OPTS...]
Each round runs the evmone driver (PEER_DIR/evmone-drive) and then `./lanes evmbench --isolate --runs 21` (one JVM per
case), so every ratio pairs runs minutes apart at most. Prints per case the median over the rounds of our Mgas/s over
evmone's (cached and analysed columns), and the geometric mean of those medians over issue 14's 25 cases, with the
spread of the per-round geometric means. One vCPU here runs slower than the other for minutes at a time
(docs/benchmarks.md, session 18): a single round's per-case ratio can be off by 1.5x; the median of three or more is
what to quote. Run from the repository root; the raw outputs stay in --out (default /tmp/evmone-rounds)."""
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
    peer_dir, rounds, warm, out = argv[0], 3, 400, "/tmp/evmone-rounds"
    it = iter(argv[1:])
    for a in it:
        if a == "--rounds": rounds = int(next(it))
        elif a == "--warmup-ms": warm = int(next(it))
        elif a == "--out": out = next(it)
        else: sys.exit("rounds.py: unknown argument " + a)
    if rounds < 1: sys.exit("rounds.py: --rounds must be at least 1")
    os.makedirs(out, exist_ok=True)
    # The launcher's default JVM options (./lanes) and thread CPU time, as the driver measures.
    opts = ("-Xss64m -XX:+UseParallelGC -Xms1g -XX:-UseAdaptiveSizePolicy -XX:+UseTransparentHugePages"
            " -XX:+UnlockDiagnosticVMOptions -XX:-UseSwitchProfiling -Dlanes.evmbench.cpuTime=true")
    env = dict(os.environ, LANES_JAVA_OPTS=" ".join([opts] + extra))
    ratios = []  # per round: {case: (cached, analysed)}
    for r in range(1, rounds + 1):
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


if __name__ == "__main__":
    main(sys.argv[1:])
