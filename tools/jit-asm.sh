#!/usr/bin/env bash
# Where a JIT-compiled Java method spends its time, instruction by instruction, without hsdis:
#   tools/jit-asm.sh METHOD SECONDS -- COMMAND...
# starts COMMAND (a java process, e.g. ./lanes evmbench --case X --runs 2000), waits 8 s for the JIT, asks the JVM
# for its perf map (jcmd PID Compiler.perfmap), samples it with `perf record -e cpu-clock` (no hardware counters
# needed) for SECONDS, picks the compiled body of METHOD (a substring of the map's names, e.g. Interpreter.exec)
# holding the most samples, disassembles that body from the live process with gdb, and prints it with the sample
# count of each instruction (also left in /tmp/jit-asm.txt). Then stops COMMAND. Needs perf, gdb and a JDK's jcmd.
set -euo pipefail
[ $# -ge 4 ] && [ "$3" = "--" ] || { echo "usage: $0 METHOD SECONDS -- COMMAND..." >&2; exit 2; }
method=$1; secs=$2; shift 3
jcmd=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/jcmd
"$@" > /tmp/jit-asm-cmd.log 2>&1 &
launcher=$!
sleep 8
pid=$(pgrep -P "$launcher" java || true)
[ -n "$pid" ] || pid=$launcher
"$jcmd" "$pid" Compiler.perfmap > /dev/null
perf record -e cpu-clock -F 5000 -p "$pid" -o /tmp/jit-asm.data -- sleep "$secs" > /dev/null 2>&1
perf script -i /tmp/jit-asm.data -F ip 2>/dev/null | sort | uniq -c > /tmp/jit-asm-ips.txt
python3 - "$pid" "$method" <<'PY'
import re, subprocess, sys
pid, method = sys.argv[1], sys.argv[2]
counts = {}
for line in open('/tmp/jit-asm-ips.txt'):
    c, ip = line.split()
    counts[int(ip, 16)] = int(c)
total = sum(counts.values())
best = None
for line in open(f'/tmp/perf-{pid}.map'):
    start, size, name = line.split(' ', 2)
    start, size = int(start, 16), int(size, 16)
    if method in name:
        n = sum(c for ip, c in counts.items() if start <= ip < start + size)
        if best is None or n > best[2]:
            best = (start, size, n, name.strip())
if best is None:
    sys.exit(f"no compiled method matching {method!r} in the perf map")
start, size, n, name = best
gdb = subprocess.run(['gdb', '-p', pid, '-batch', '-ex', 'set pagination off', '-ex', f'x/{size // 2}i {start}'],
                     capture_output=True, text=True).stdout
rows = [f"{name}: {size} bytes at {start:#x}, {n} of {total} samples"]
for line in gdb.split('\n'):
    m = re.match(r'\s*(?:=>\s*)?(0x[0-9a-f]+)', line)
    if not m:
        continue
    address = int(m.group(1), 16)
    if address >= start + size:
        break
    rows.append(f"{counts.get(address, 0):6d} {line.strip()}")
open('/tmp/jit-asm.txt', 'w').write('\n'.join(rows) + '\n')
print('\n'.join(rows))
PY
kill "$launcher" "$pid" 2>/dev/null || true
