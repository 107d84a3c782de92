#!/usr/bin/env python3
"""Does alignment on a domain get better as its memory grows? (issue 4, item 3)

  python3 tests/bench/align_memory_eval.py BUILD_DIR [--shared ../shared] [--seeds 1 2 3]
                                           [--sizes 0 250 500 1000 2000] [--no-doc-learning]

News is the domain. The NTREX documents are split in two halves by position (even/odd
document): the cases of shared/bench/align/make_cases.py for the odd documents are the held-out
test set; the gold pairs of the even documents plus the Parallel UD pairs (news and Wikipedia,
ud-pud-ar-en) are the memory's training pairs, shuffled once (seed 0), with any pair whose
Arabic or English sentence occurs in a test document removed. For each memory size K,
BUILD_DIR/tests/align_memory_cases fills a real memory (RocksDB) with the first K pairs, trains
and stores the memory's lexicon, reads it back, and aligns the held-out cases exactly as
AlignService/AlignToMemory does (FreeDict + the memory's lexicon). score.py gives strict/lax F1
(sentence level) and pair F1 (end to end) per size and seed.

A second series grows the memory the way a translator would, without gold: the first K even
NTREX documents (their running-text cases) are aligned into it with AlignToMemory at the default
threshold, each using the lexicon learned from the ones before; then the test cases are aligned.
"""
import argparse, os, random, re, shlex, shutil, subprocess, sys, tempfile


def kv(text):
    return {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", text.strip().splitlines()[-1])}


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("build_dir")
    ap.add_argument("--shared", default=os.environ.get("QANTARA_SHARED",
                                                       os.path.join(here, "..", "..", "..", "shared")))
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--sizes", type=int, nargs="+", default=[0, 250, 500, 1000, 2000])
    ap.add_argument("--series", choices=["pairs", "docs", "both"], default="both",
                    help="memories of gold pairs, of documents aligned into them, or both")
    ap.add_argument("--doc-learning", action="store_true",
                    help="also a lexicon from each document's own first pass")
    ap.add_argument("--extra", default="",
                    help="more flags for align_memory_cases, one string (e.g. --extra='--min-dice 0.4')")
    ap.add_argument("--no-dict", action="store_true", help="no FreeDict")
    args = ap.parse_args()
    tool = os.path.join(args.build_dir, "tests", "align_memory_cases")
    make = os.path.join(args.shared, "bench", "align", "make_cases.py")
    score = os.path.join(args.shared, "bench", "align", "score.py")
    ntrex = os.path.join(args.shared, "data", "ntrex128-ar-en")
    pud = os.path.join(args.shared, "data", "ud-pud-ar-en", "pud-ar-en.tsv")
    if not (os.path.exists(make) and os.path.isdir(ntrex) and os.path.exists(pud)):
        print(f"align_memory_eval: shared data not found under {args.shared}; skipping")
        return 0

    # NTREX documents in order; odd positions are the test documents.
    ids = read_lines(os.path.join(ntrex, "DOCUMENT_IDS.tsv"))
    ar = read_lines(os.path.join(ntrex, "newstest2019-ref.arb.txt"))
    en = read_lines(os.path.join(ntrex, "newstest2019-src.eng.txt"))
    order = []
    for d in ids:
        if not order or order[-1] != d:
            order.append(d)
    test_docs = set(order[1::2])
    test_text = {s.strip() for d, a, e in zip(ids, ar, en) if d in test_docs for s in (a, e)}
    train = [(a.strip(), e.strip()) for d, a, e in zip(ids, ar, en) if d not in test_docs]
    with open(pud, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        col = {n: i for i, n in enumerate(header)}
        for line in f:
            p = line.rstrip("\n").split("\t")
            train.append((p[col["arabic"]].strip(), p[col["english"]].strip()))
    train = [(a, e) for a, e in train if a and e and a not in test_text and e not in test_text
             and "\t" not in a + e]
    random.Random(0).shuffle(train)
    sizes = [s for s in args.sizes if s <= len(train)]

    def case_name(d):
        return "".join(c if c.isalnum() or c in "-_." else "_" for c in d)

    test_names = {case_name(d) for d in test_docs}
    print(f"test: {len(test_docs)} NTREX documents (odd positions); memory pairs available: "
          f"{len(train)} (NTREX even documents + PUD, test sentences removed)")
    n_train_docs = len(order) - len(test_docs)
    doc_sizes = sorted({0, n_train_docs // 4, n_train_docs // 2, n_train_docs})
    series = []  # (title, unit of size, flag, sizes)
    if args.series in ("pairs", "both"):
        series.append(("memory = the first K gold pairs (NTREX even documents + PUD, shuffled)",
                       "memory pairs", "--train", sizes))
    if args.series in ("docs", "both"):
        series.append((f"memory = the first K of the {n_train_docs} even NTREX documents aligned "
                       "into it by AlignToMemory (import-docs; default threshold, no gold)",
                       "documents", "--train-docs", doc_sizes))
    results = {}  # (series, size, seed) -> (strict, lax, pair, entries, train_ms, units)
    with tempfile.TemporaryDirectory(prefix="qantara-align-memory-eval-") as tmp:
        train_tsv = os.path.join(tmp, "train.tsv")
        with open(train_tsv, "w", encoding="utf-8") as f:
            for a, e in train:
                f.write(f"{a}\t{e}\n")
        train_names = {case_name(d) for d in order if d not in test_docs}
        for seed in args.seeds:
            all_cases = os.path.join(tmp, f"all{seed}")
            subprocess.run([sys.executable, make, "--ntrex", ntrex, "--out", all_cases,
                            "--seed", str(seed)], check=True, capture_output=True)
            cases = os.path.join(tmp, f"cases{seed}")
            train_cases = os.path.join(tmp, f"train{seed}")
            for names, d in ((test_names, cases), (train_names, train_cases)):
                os.makedirs(d)
                for n in names:
                    for ext in (".ar", ".en", ".gold", ".ar.doc", ".en.doc", ".pairs"):
                        src = os.path.join(all_cases, n + ext)
                        if os.path.exists(src):
                            shutil.copy(src, d)
            extra = (["--doc-learning"] if args.doc_learning else []) + \
                    (["--no-dict"] if args.no_dict else []) + shlex.split(args.extra)
            for si, (_, _, flag, ssizes) in enumerate(series):
                out = os.path.join(tmp, f"out{seed}-{si}")
                source = train_tsv if flag == "--train" else train_cases
                r = subprocess.run([tool, cases, out, flag, source, "--sizes",
                                    ",".join(map(str, ssizes)), "--work", os.path.join(tmp, "work"),
                                    *extra], capture_output=True, text=True)
                if r.returncode != 0:
                    print(r.stdout, r.stderr)
                    return 1
                info = {}
                for line in r.stdout.splitlines():
                    m = kv(line)
                    if "size" in m:
                        info[int(m["size"])] = m
                for size in ssizes:
                    o = os.path.join(out, str(size))
                    b = kv(subprocess.run([sys.executable, score, "beads", cases, o], check=True,
                                          capture_output=True, text=True).stdout)
                    p = kv(subprocess.run([sys.executable, score, "pairs", cases, o], check=True,
                                          capture_output=True, text=True).stdout)
                    results[(si, size, seed)] = (b["strict_f1"], b["lax_f1"], p["pair_f1"],
                                                 int(info[size]["lexicon_entries"]),
                                                 info[size]["train_ms"], int(info[size]["units"]))
    for si, (title, unit, _, ssizes) in enumerate(series):
        print(f"\n{title}:")
        print(f"| {unit} | memory units | lexicon entries | " +
              " | ".join(f"strict F1 s{s}" for s in args.seeds) +
              " | mean strict F1 | mean lax F1 | mean pair F1 | train ms |")
        print("| --- " * (7 + len(args.seeds)) + "|")
        for size in ssizes:
            rows = [results[(si, size, s)] for s in args.seeds]
            mean = lambda i: sum(r[i] for r in rows) / len(rows)
            print(f"| {size} | {rows[0][5]} | {rows[0][3]} | " +
                  " | ".join(f"{r[0]:.3f}" for r in rows) +
                  f" | {mean(0):.4f} | {mean(1):.4f} | {mean(2):.4f} | {rows[0][4]:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
