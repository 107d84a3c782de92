#!/usr/bin/env python3
"""Phases of lookups profiled by lookup_profile under callgrind (one dump a
query): instructions of each query, and where those of the queries around
the median go (query analysis, reader, exact path, typo check, posting
reads, candidate filter, verification, penalties, building the answer).

    lookup_phases.py OUT [--band 0.2]   (OUT: lookup_profile's --callgrind-out-file)
"""
import argparse
import glob
import re
import subprocess

PHASES = [
    # (name, [(caller, callee)] or [function]): inclusive instructions.
    ("query analysis", [("tm::Memories::Lookup", "TextAnalyzer::Analyze")]),
    ("reader (lock, snapshot)", [("tm::Memories::Lookup", "OpenReader"),
                                 ("tm::Memories::Lookup", "~RocksMemoryReader")]),
    ("exact path", ["Search::ExactPath()", ("-", "Search::ExactPath()", "Search::ConsiderId(")]),
    ("typo check (known words, variants)", ["Search::PrepareTypos()"]),
    ("posting reads", ["Search::Prefetch(", ("Search::ScanLength(", "RocksMemoryReader::Postings(")]),
    ("candidate filter (shared-token counts)", ["Search::ScanLength(", ("-", "Search::ScanLength(", "RocksMemoryReader::Postings("),
                                                ("-", "Search::ScanLength(", "Search::ConsiderId(")]),
    ("verification (distance, alignment, rank)", [("Search::ScanLength(", "Search::ConsiderId("),
                                                  ("Search::ExactPath()", "Search::ConsiderId("),
                                                  ("-", "Search::Consider(", "Search::SeveralTranslations(")]),
    ("penalties: several translations", [("Search::Consider(", "Search::SeveralTranslations(")]),
    ("building the answer (units, analysis, diffs)", ["Search::Finish()",
                                                     ("tm::Memories::Lookup", "MergeResults(")]),
]


def tree(path):
    out = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--tree=calling", path],
                         capture_output=True, text=True).stdout
    own, calls, cur = {}, {}, None
    for line in out.splitlines():
        m = re.match(r"^\s*([\d,]+) \([^)]*\)\s+(\*|>)\s+\S*?:(.*)$", line)
        if not m:
            continue
        cost = int(m.group(1).replace(",", ""))
        name = m.group(3)
        if m.group(2) == "*":
            cur = name
            own[name] = cost
        elif cur is not None:
            calls[(cur, name)] = calls.get((cur, name), 0) + cost
    return own, calls


def inclusive(own, calls, spec):
    if isinstance(spec, tuple) and spec[0] == "-":
        return -inclusive(own, calls, spec[1:])
    if isinstance(spec, tuple):
        return sum(c for (a, b), c in calls.items() if spec[0] in a and spec[1] in b)
    return sum(c for n, c in own.items() if spec in n)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--band", type=float, default=0.2, help="share of queries around the median")
    args = ap.parse_args()
    files = [f for f in glob.glob(args.out + ".*") if re.search(r"\.\d+$", f)]
    totals = []
    for f in files:
        with open(f) as fh:
            for line in fh:
                if line.startswith("totals:"):
                    totals.append((int(line.split()[1]), f))
                    break
    totals.sort()
    n = len(totals)
    print(f"{n} queries: instructions min {totals[0][0]:,} p25 {totals[n // 4][0]:,} "
          f"median {totals[(n - 1) // 2][0]:,} p75 {totals[3 * n // 4][0]:,} p90 {totals[int(0.9 * n)][0]:,} "
          f"max {totals[-1][0]:,}; mean {sum(t for t, _ in totals) / n:,.0f}")
    half = max(1, int(args.band * n / 2))
    mid = (n - 1) // 2
    band = totals[max(0, mid - half):mid + half + 1]
    sums = {name: 0 for name, _ in PHASES}
    total = 0
    for t, f in band:
        own, calls = tree(f)
        lookup = inclusive(own, calls, "tm::Memories::Lookup(")
        total += lookup
        for name, specs in PHASES:
            sums[name] += sum(inclusive(own, calls, s) for s in specs)
    k = len(band)
    print(f"phases of the {k} queries around the median (mean instructions a query):")
    rest = total
    for name, _ in PHASES:
        print(f"  {name:48s} {sums[name] / k:10,.0f}  {100 * sums[name] / total:5.1f}%")
        rest -= sums[name]
    print(f"  {'other':48s} {rest / k:10,.0f}  {100 * rest / total:5.1f}%")
    print(f"  {'total (Memories::Lookup)':48s} {total / k:10,.0f}")


if __name__ == "__main__":
    main()
