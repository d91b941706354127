#!/usr/bin/env python3
"""Extract evm-benchmarks cases into cases.txt (one case per line, space-separated):
name expected_gas_istanbul expected_output_hex|- code_hex input_hex|-"""
import glob, json, os, sys
src = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/evm-benchmarks"
out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases.txt")
exp = {c["case"]: c for c in json.load(open(os.path.join(src, "expected.json")))["cases"]}
lines = []
for d in ("main", "micro"):
    for f in sorted(glob.glob(os.path.join(src, d, "*.json"))):
        t = next(iter(json.load(open(f)).values()))
        code = t["pre"]["0xbe7c43a580000000000000000000000000000001"]["code"]
        labels = t.get("_info", {}).get("labels", {})
        for i, data in enumerate(t["transaction"]["data"]):
            name = f"{d}/{os.path.splitext(os.path.basename(f))[0]}/{labels.get(str(i), str(i))}"
            e = exp[name]
            assert e["data_index"] == i
            h = lambda s: (s[2:] if s.startswith("0x") else s) or "-"
            lines.append(f"{name} {e['gas_used_istanbul']} {e['output'] or '-'} {h(code)} {h(data)}")
open(out, "w").write("\n".join(lines) + "\n")
print(f"{len(lines)} cases -> {out}")
