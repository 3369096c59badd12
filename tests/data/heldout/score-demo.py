#!/usr/bin/env python3
"""Score a `Moderation.Worker demo heldout-posts.jsonl` run against heldout-zh.tsv.

Joins each printed decision (`<action> heldout/h-NNNN v1  categories <codes>`) to data row NNNN
and prints, per cat and per orig_label: share passed / quarantined / blocked, share acted on,
and share acted on with the row's own category among the decision's categories. A stopgap until
the project's own evaluation command covers the worker's path; it reads only the demo output.

Usage: dotnet Moderation.Worker.dll demo tests/data/heldout/heldout-posts.jsonl > demo.out
       python3 tests/data/heldout/score-demo.py demo.out [heldout-zh.tsv]
"""
import collections
import csv
import re
import sys
from pathlib import Path

LINE = re.compile(r"^(\w+)\s+heldout/h-(\d+)(?: v\d+\s+categories (\S+))?")


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    tsv = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).resolve().parent / "heldout-zh.tsv"
    with tsv.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quotechar='"'))
    decided = {}
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            m = LINE.match(line)
            if m:
                decided[int(m.group(2))] = (m.group(1), set((m.group(3) or "-").split(",")))
    missing = [i for i in range(1, len(rows) + 1) if i not in decided]
    print(f"{len(decided)} decisions for {len(rows)} rows; missing {len(missing)}")

    def report(key_of):
        agg = collections.defaultdict(collections.Counter)
        for i, r in enumerate(rows, start=1):
            if i not in decided:
                continue
            action, cats = decided[i]
            a = agg[key_of(r)]
            a["n"] += 1
            a[action] += 1
            if action in ("quarantine", "block") and r["cat"] in cats:
                a["right"] += 1
        for key in sorted(agg):
            a = agg[key]
            n = a["n"]
            acted = a["quarantine"] + a["block"]
            print(f"  {key:<28} n={n:<4} pass {a['pass'] / n:6.1%}  quarantine {a['quarantine'] / n:6.1%}  "
                  f"block {a['block'] / n:6.1%}  acted {acted / n:6.1%}  right-category {a['right'] / n:6.1%}"
                  + (f"  rejected {a['rejected']}" if a["rejected"] else ""))

    print("by cat:")
    report(lambda r: f"cat {r['cat']}")
    print("by orig_label:")
    report(lambda r: f"{r['cat']}/{r['orig_label']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
