#!/usr/bin/env python3
"""Turn heldout-zh.tsv into heldout-posts.jsonl: one ContentPublished post per data row, for
`Moderation.Worker demo tests/data/heldout/heldout-posts.jsonl`.

Only the text goes into the post; the expected label stays in the TSV. Data row N (1-based,
after the header) becomes contentId h-NNNN, so a replay's decisions join back to their labels
by contentId. Author, service type and source IP are drawn from a fixed-seed generator that
never looks at the label, so none of them leaks the answer; publishedAt steps one second per
row from 2026-11-30T08:00:00+08:00. Re-running gives a byte-identical file.

Usage: python3 make-posts.py [heldout-zh.tsv] [heldout-posts.jsonl]
"""
import csv
import json
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
SERVICE_TYPES = ["comment", "chat", "forum", "message_board"]
START = datetime(2026, 11, 30, 8, 0, 0, tzinfo=timezone(timedelta(hours=8)))


def main() -> int:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "heldout-zh.tsv"
    dst = Path(sys.argv[2]) if len(sys.argv) > 2 else HERE / "heldout-posts.jsonl"
    rng = random.Random(20261130)
    with src.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quotechar='"'))
    with dst.open("w", encoding="utf-8", newline="\n") as out:
        for i, row in enumerate(rows, start=1):
            post = {
                "platform": "heldout",
                "contentId": f"h-{i:04d}",
                "serviceType": rng.choice(SERVICE_TYPES),
                "authorId": f"u-{rng.randint(1, 5000)}",
                "body": row["text"],
                "publishedAt": (START + timedelta(seconds=i - 1)).isoformat(),
                "sourceIp": f"203.0.113.{rng.randint(1, 254)}",
            }
            out.write(json.dumps(post, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{len(rows)} posts -> {dst}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
