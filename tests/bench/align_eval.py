#!/usr/bin/env python3
"""The sentence-alignment evaluation behind one command.

  python3 tests/bench/align_eval.py BUILD_DIR [--shared ../shared] [--seeds 1 2 3] [--tsv FILE]
                                    [--threshold T] [--check]

For each seed: builds the cases with shared/bench/align/make_cases.py (NTREX, or --tsv for other
gold data), runs BUILD_DIR/tests/align_cases (sentence level: NAME.beads from NAME.ar + NAME.en;
end to end: NAME.pairs from NAME.ar.doc + NAME.en.doc, segmented by qantara's segmenter), scores
both with shared/bench/align/score.py and prints strict/lax F1, pair F1 and the calibration of the
confidence of predicted 1-1 beads: the share of them at or above the auto-accept threshold and the
strict precision of those, plus a reliability table. --check exits 1 when a goal is missed
(strict F1 >= 0.95, lax F1 >= 0.98, pair F1 >= 0.93, coverage >= 0.85, precision >= 0.99).
"""
import argparse, ast, os, re, subprocess, sys, tempfile

GOALS = {"strict_f1": 0.95, "lax_f1": 0.98, "pair_f1": 0.93, "accept_share": 0.85,
         "accept_precision": 0.99}


def read_beads(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                l, r = line.split(":", 1)
                out.append((tuple(ast.literal_eval(l)), tuple(ast.literal_eval(r))))
    return out


def calibration(cases, out):
    """(confidence, correct) for every predicted 1-1 bead."""
    rows = []
    for n in sorted(f[:-5] for f in os.listdir(cases) if f.endswith(".gold")):
        gold = set(read_beads(os.path.join(cases, n + ".gold")))
        test = read_beads(os.path.join(out, n + ".beads"))
        with open(os.path.join(out, n + ".conf")) as f:
            conf = [float(x) for x in f.read().split()]
        for b, c in zip(test, conf):
            if len(b[0]) == 1 and len(b[1]) == 1:
                rows.append((c, b in gold))
    return rows


def kv(text):
    return {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", text.strip().splitlines()[-1])}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("build_dir")
    ap.add_argument("--shared", default=os.environ.get("QANTARA_SHARED",
                                                       os.path.join(here, "..", "..", "..", "shared")))
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--tsv", help="gold TSV (doc, arabic, english) instead of NTREX")
    ap.add_argument("--threshold", type=float, default=None,
                    help="auto-accept threshold (default: the aligner's, printed by align_cases)")
    ap.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    ap.add_argument("--extra", nargs="*", default=[], help="extra flags for align_cases")
    args = ap.parse_args()
    tool = os.path.join(args.build_dir, "tests", "align_cases")
    make = os.path.join(args.shared, "bench", "align", "make_cases.py")
    score = os.path.join(args.shared, "bench", "align", "score.py")
    ntrex = os.path.join(args.shared, "data", "ntrex128-ar-en")
    if not os.path.exists(make) or (not args.tsv and not os.path.isdir(ntrex)):
        print(f"align_eval: shared data not found under {args.shared}; skipping")
        return 0
    failed = []
    print("| seed | strict P | strict R | strict F1 | lax F1 | pair F1 | 1-1 accepted | accepted precision | align s |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    all_rows = []
    with tempfile.TemporaryDirectory(prefix="qantara-align-eval-") as tmp:
        for seed in args.seeds:
            cases = os.path.join(tmp, f"cases{seed}")
            out = os.path.join(tmp, f"out{seed}")
            src = ["--tsv", args.tsv] if args.tsv else ["--ntrex", ntrex]
            subprocess.run([sys.executable, make, *src, "--out", cases, "--seed", str(seed)],
                           check=True, capture_output=True)
            r = subprocess.run([tool, cases, out, *args.extra], check=True, capture_output=True, text=True)
            info = kv(r.stdout)
            thr = args.threshold if args.threshold is not None else info.get("accept_threshold", 0.9)
            b = kv(subprocess.run([sys.executable, score, "beads", cases, out], check=True,
                                  capture_output=True, text=True).stdout)
            p = kv(subprocess.run([sys.executable, score, "pairs", cases, out], check=True,
                                  capture_output=True, text=True).stdout)
            rows = calibration(cases, out)
            all_rows += rows
            acc = [ok for c, ok in rows if c >= thr]
            share = len(acc) / len(rows) if rows else 0.0
            prec = sum(acc) / len(acc) if acc else 0.0
            print(f"| {seed} | {b['strict_p']:.3f} | {b['strict_r']:.3f} | {b['strict_f1']:.3f} | "
                  f"{b['lax_f1']:.3f} | {p['pair_f1']:.3f} | {share:.3f} | {prec:.4f} | "
                  f"{info.get('align_ms', 0) / 1000:.2f} |")
            got = {"strict_f1": b["strict_f1"], "lax_f1": b["lax_f1"], "pair_f1": p["pair_f1"],
                   "accept_share": share, "accept_precision": prec}
            failed += [f"seed {seed}: {k} {got[k]:.4f} < {g}" for k, g in GOALS.items() if got[k] < g]
    print(f"\nauto-accept threshold {thr}; reliability of predicted 1-1 beads (all seeds):")
    print("| confidence | beads | correct |")
    print("| --- | --- | --- |")
    edges = [0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.01]
    for lo, hi in zip(edges, edges[1:]):
        sel = [ok for c, ok in all_rows if lo <= c < hi]
        if sel:
            print(f"| [{lo:.2f}, {min(hi, 1.0):.2f}{')' if hi <= 1 else ']'} | {len(sel)} | {sum(sel) / len(sel):.3f} |")
    if failed:
        print("\nmissed goals:\n  " + "\n  ".join(failed))
    return 1 if (failed and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
