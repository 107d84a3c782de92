#!/usr/bin/env python3
"""Comparable documents: are the pairs AlignToMemory would store real translations? (issue 19)

  python3 tests/bench/comparable_eval.py BUILD_DIR [--shared ../shared] [--seeds 1 2 3]
                                         [--threshold T] [--min-share S] [--check] [--details]

Builds comparable document pairs from the NTREX documents (each perturbation applied to every
document of at least 4 sentences, seeded), runs BUILD_DIR/tests/align_cases --no-batch (each pair
aligned alone, as AlignToMemory does with a new memory) and counts the pairs that would be
STORED: 1-1 beads at or above the threshold (default: the aligner's auto-accept threshold, which
align_cases prints), in document pairs whose parallel share is at or above --min-share (default:
tm::kDefaultMinParallelShare, printed by align_cases). A stored pair is right when it is a real
NTREX translation pair (compared by text, so a replacement that happens to be the right sentence
counts as right). Precision = right / stored; recall = right / gold pairs still present.

Perturbations (English side unless said):
  parallel      the documents as they are
  replace25     a quarter of the English sentences replaced by sentences of other documents
  replace50     half of them replaced
  remove50      half of the English sentences removed (their Arabic stays, without counterpart)
  reorder       English paragraphs (1-4 sentences) partly reordered: a third of them swapped
                with the next one
  summary       the Arabic side summarised: a third of its sentences kept
  unrelated     the English side of another document (no gold pair: every stored pair is wrong)
  seed          ../shared/data/seed-comparable/ar-news-report.txt with
                tests/fixtures/seed-comparable.en.txt (tests/fixtures/README.md gives its two
                real pairs)

Two levels: `sent` aligns the gold sentences (NAME.ar/.en), `doc` segments running text first
(NAME.ar.doc/.en.doc, paragraphs of 1-4 sentences) as import-docs does. --check exits 1 when
stored-pair precision is below 0.995 at either level for a perturbation (all seeds together), or
when a pair is stored from an unrelated document pair.
"""
import argparse, os, random, re, subprocess, sys, tempfile

GOAL_PRECISION = 0.995
PERTURBATIONS = ["parallel", "replace25", "replace50", "remove50", "reorder", "summary",
                 "unrelated", "seed"]
ENDS_SENTENCE = tuple(".!?\u061f\u06d4\"'\u201d\u2019\u00bb)")


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f]


def read_ntrex(folder):
    ids = read_lines(os.path.join(folder, "DOCUMENT_IDS.tsv"))
    ar = read_lines(os.path.join(folder, "newstest2019-ref.arb.txt"))
    en = read_lines(os.path.join(folder, "newstest2019-src.eng.txt"))
    docs, order = {}, []
    for d, a, e in zip(ids, ar, en):
        if d not in docs:
            docs[d] = []
            order.append(d)
        docs[d].append((a.strip(), e.strip(), len(docs[d]) + 10000 * order.index(d)))
    return [(d, docs[d]) for d in order]


def paragraphs(n, rng):
    """Paragraph sizes (1-4 sentences) covering n sentences."""
    out = []
    while n > 0:
        k = min(n, rng.randint(1, 4))
        out.append(k)
        n -= k
    return out


def prose(lines, sizes):
    out, at = [], 0
    for k in sizes:
        out.append(" ".join(lines[at:at + k]))
        at += k
    return "\n\n".join(out) + "\n"


def prose_of(lines, rng):
    """Paragraphs of 1-4 sentences; a line without closing punctuation stands alone."""
    sizes, para = [], 0
    target = rng.randint(1, 4)
    for line in lines:
        para += 1
        if para >= target or not line.rstrip().endswith(ENDS_SENTENCE):
            sizes.append(para)
            para, target = 0, rng.randint(1, 4)
    if para:
        sizes.append(para)
    return prose(lines, sizes)


def perturb(kind, d, pairs, docs, rng):
    """(arabic lines, english lines, english prose or None) for one document; a line is
    (text, id of its NTREX pair)."""
    ar = [(a, g) for a, _, g in pairs]
    en = [(e, g) for _, e, g in pairs]
    others = [p for k, (name, p) in enumerate(docs) if k != d]
    if kind in ("replace25", "replace50"):
        share = 0.25 if kind == "replace25" else 0.5
        for i in rng.sample(range(len(en)), round(share * len(en))):
            o = rng.choice(rng.choice(others))
            en[i] = (o[1], o[2])
    elif kind == "remove50":
        gone = set(rng.sample(range(len(en)), len(en) // 2))
        en = [e for i, e in enumerate(en) if i not in gone]
    elif kind == "summary":
        keep = sorted(rng.sample(range(len(ar)), max(2, round(len(ar) / 3))))
        ar = [ar[i] for i in keep]
    elif kind == "reorder":
        sizes = paragraphs(len(en), rng)
        blocks, at = [], 0
        for k in sizes:
            blocks.append(en[at:at + k])
            at += k
        b = 0
        while b + 1 < len(blocks):
            if rng.random() < 1 / 3:
                blocks[b], blocks[b + 1] = blocks[b + 1], blocks[b]
                b += 2
            else:
                b += 1
        en = [s for blk in blocks for s in blk]
        return ar, en, "\n\n".join(" ".join(t for t, _ in blk) for blk in blocks) + "\n"
    elif kind == "unrelated":
        # another document of about the same length
        cand = sorted((abs(len(p) - len(pairs)), rng.random(), k) for k, (_, p) in enumerate(docs) if k != d)
        en = [(e, g) for _, e, g in docs[cand[0][2]][1]]
    return ar, en, None


def write_case(out, name, ar, en, en_doc, rng):
    base = os.path.join(out, name)
    with open(base + ".ar", "w", encoding="utf-8") as f:
        f.write("\n".join(ar) + "\n")
    with open(base + ".en", "w", encoding="utf-8") as f:
        f.write("\n".join(en) + "\n")
    with open(base + ".gold", "w", encoding="utf-8") as f:
        f.write("")  # align_cases lists the cases by their .gold files; the gold is by text here
    with open(base + ".ar.doc", "w", encoding="utf-8") as f:
        f.write(prose_of(ar, rng))
    with open(base + ".en.doc", "w", encoding="utf-8") as f:
        f.write(en_doc if en_doc is not None else prose_of(en, rng))


def norm(s):
    return " ".join(s.split())


def ids_of(text, lines):
    """The pair ids of the gold lines a segmented sentence overlaps (it is in one of them, or
    holds some of them whole): segmentation may split or join gold lines."""
    t = norm(text)
    return {g for line, g in lines if t and (t in norm(line) or norm(line) in t)}


def read_beads(path):
    out = []
    for line in read_lines(path):
        if line.strip():
            l, r = line.split(":", 1)
            out.append(([int(x) for x in re.findall(r"\d+", l)], [int(x) for x in re.findall(r"\d+", r)]))
    return out


def parallel_share(beads, conf, thr):
    """Share of all sentences (both sides) in beads with text on both sides at or above thr (the
    definition of align::ParallelShare)."""
    total = sum(len(a) + len(e) for a, e in beads)
    good = sum(len(a) + len(e) for (a, e), c in zip(beads, conf) if a and e and c >= thr)
    return good / total if total else 0.0


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("build_dir")
    ap.add_argument("--shared", default=os.environ.get("QANTARA_SHARED", os.path.join(repo, "..", "shared")))
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--threshold", type=float, default=None, help="default: the aligner's")
    ap.add_argument("--min-share", type=float, default=None,
                    help="skip document pairs below this parallel share (default: the server's)")
    ap.add_argument("--check", action="store_true", help="exit 1 when the precision goal is missed")
    ap.add_argument("--details", action="store_true", help="print every wrong stored pair")
    ap.add_argument("--extra", nargs="*", default=[], help="extra flags for align_cases")
    ap.add_argument("--dump", help="write every sentence-level 1-1 bead's evidence (NAME.evidence "
                    "columns), confidence and whether it is right to this TSV (for calibration)")
    args = ap.parse_args()
    tool = os.path.join(args.build_dir, "tests", "align_cases")
    ntrex = os.path.join(args.shared, "data", "ntrex128-ar-en")
    seed_ar = os.path.join(args.shared, "data", "seed-comparable", "ar-news-report.txt")
    seed_en = os.path.join(repo, "tests", "fixtures", "seed-comparable.en.txt")
    if not os.path.isdir(ntrex):
        print(f"comparable_eval: shared data not found under {args.shared}; skipping")
        return 0
    docs = [(d, p) for d, p in read_ntrex(ntrex) if len(p) >= 4]
    right = {(norm(a), norm(e)) for _, p in docs for a, e, _ in p}
    kinds = PERTURBATIONS if os.path.exists(seed_ar) else PERTURBATIONS[:-1]
    if os.path.exists(seed_ar):
        seed_en_lines = read_lines(seed_en)
        seed_ar_text = open(seed_ar, encoding="utf-8").read()
        # The report's sentences end with ". "; the share line stands alone.
        seed_ar_lines = [s for l in seed_ar_text.split("\n") for s in re.split(r"(?<=\.)\s+", l.strip()) if s]
        right.add((norm(seed_ar_lines[0]), norm(seed_en_lines[1])))
        for e in (3, 4):
            right.add((norm(seed_ar_lines[4]), norm(seed_en_lines[e])))
        # ids: the two real pairs share one, every other line has its own
        seed_ar = [(t, -1 if k == 0 else -2 if k == 4 else -100 - k) for k, t in enumerate(seed_ar_lines)]
        seed_en = [(t, -1 if k == 1 else -2 if k in (3, 4) else -200 - k) for k, t in enumerate(seed_en_lines)]
    # [kind][level] -> stored, right, gold, docs, skipped docs
    stats = {k: {lv: [0, 0, 0, 0, 0] for lv in ("sent", "doc")} for k in kinds}
    shares = {k: [] for k in kinds}
    wrong = []
    dump = open(args.dump, "w") if args.dump else None
    thr = args.threshold
    min_share = args.min_share
    with tempfile.TemporaryDirectory(prefix="qantara-comparable-") as tmp:
        for seed in args.seeds:
            cases = os.path.join(tmp, f"cases{seed}")
            out = os.path.join(tmp, f"out{seed}")
            os.makedirs(cases)
            gold_count, case_lines = {}, {}
            for kind in kinds:
                rng = random.Random(f"{seed}-{kind}")
                if kind == "seed":
                    case_lines["seed"] = (seed_ar, seed_en)
                    write_case(cases, "seed", seed_ar_lines, seed_en_lines,
                               seed_en_lines[0] + "\n\n" + " ".join(seed_en_lines[1:]) + "\n", rng)
                    with open(os.path.join(cases, "seed.ar.doc"), "w", encoding="utf-8") as f:
                        f.write(seed_ar_text)
                    gold_count["seed"] = 2
                    continue
                for d, (name, pairs) in enumerate(docs):
                    ar, en, en_doc = perturb(kind, d, pairs, docs, rng)
                    cname = f"{kind}.{name}"
                    case_lines[cname] = (ar, en)
                    write_case(cases, cname, [t for t, _ in ar], [t for t, _ in en], en_doc, rng)
                    en_ids = {g for _, g in en}
                    gold_count[cname] = sum(1 for _, g in ar if g in en_ids)
            r = subprocess.run([tool, cases, out, "--no-batch", *args.extra], check=True,
                               capture_output=True, text=True)
            info = dict(re.findall(r"(\w+)=([0-9.]+)", r.stdout.strip().splitlines()[-1]))
            if thr is None:
                thr = float(info.get("accept_threshold", 0.9))
            if min_share is None:
                min_share = float(info.get("min_parallel_share", 0.0))
            for cname, gold in gold_count.items():
                kind = cname.split(".", 1)[0]
                ar = read_lines(os.path.join(cases, cname + ".ar"))
                en = read_lines(os.path.join(cases, cname + ".en"))
                ar_ids, en_ids = case_lines[cname]
                # sentence level
                beads = read_beads(os.path.join(out, cname + ".beads"))
                conf = [float(x) for x in read_lines(os.path.join(out, cname + ".conf"))]
                if dump:
                    for (a, e), c, ev in zip(beads, conf, read_lines(os.path.join(out, cname + ".evidence"))):
                        if len(a) == 1 and len(e) == 1:
                            ok = (norm(ar[a[0]]), norm(en[e[0]])) in right
                            dump.write(f"{seed}\t{cname}\t{int(ok)}\t{c}\t" + "\t".join(ev.split()) + "\n")
                share = parallel_share(beads, conf, thr)
                shares[kind].append(share)
                st = stats[kind]["sent"]
                st[2] += gold
                st[3] += 1
                if share < min_share:
                    st[4] += 1
                else:
                    for (a, e), c in zip(beads, conf):
                        if len(a) == 1 and len(e) == 1 and c >= thr:
                            st[0] += 1
                            ok = (norm(ar[a[0]]), norm(en[e[0]])) in right
                            st[1] += ok
                            if not ok:
                                wrong.append((kind, "sent", cname, c, ar[a[0]], en[e[0]]))
                # running text
                pairs = [l.split("\t", 1) for l in read_lines(os.path.join(out, cname + ".pairs"))]
                pconf = [l.split() for l in read_lines(os.path.join(out, cname + ".pairs.conf"))]
                sd = stats[kind]["doc"]
                sd[2] += gold
                sd[3] += 1
                with open(os.path.join(out, cname + ".share")) as f:
                    doc_share = float(f.read().split()[1])
                skip = doc_share < min_share
                if skip:
                    sd[4] += 1
                    continue
                for (pa, pe), x in zip(pairs, pconf):
                    c, na, ne = float(x[0]), int(x[1]), int(x[2])
                    if na == 1 and ne == 1 and c >= thr:
                        sd[0] += 1
                        ok = (norm(pa), norm(pe)) in right or bool(ids_of(pa, ar_ids) & ids_of(pe, en_ids))
                        sd[1] += ok
                        if not ok:
                            wrong.append((kind, "doc", cname, c, pa, pe))
    failed = []
    print(f"stored = 1-1 beads at confidence >= {thr}, in document pairs with parallel share >= "
          f"{min_share}; seeds {' '.join(map(str, args.seeds))}")
    print("| perturbation | docs | gold pairs | stored | precision | recall | doc-level precision | "
          "doc-level recall | docs skipped | parallel share (median) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for kind in kinds:
        s, d = stats[kind]["sent"], stats[kind]["doc"]
        p = s[1] / s[0] if s[0] else 1.0
        rc = s[1] / s[2] if s[2] else 0.0
        dp = d[1] / d[0] if d[0] else 1.0
        drc = d[1] / d[2] if d[2] else 0.0
        med = sorted(shares[kind])[len(shares[kind]) // 2] if shares[kind] else 0.0
        rec = f"{rc:.3f}" if s[2] else "-"
        drec = f"{drc:.3f}" if d[2] else "-"
        print(f"| {kind} | {s[3]} | {s[2]} | {s[0]} | {p:.4f} | {rec} | {dp:.4f} | {drec} | {s[4]} | {med:.2f} |")
        if kind != "seed":
            if p < GOAL_PRECISION:
                failed.append(f"{kind}: precision {p:.4f} < {GOAL_PRECISION}")
            if dp < GOAL_PRECISION:
                failed.append(f"{kind}: doc-level precision {dp:.4f} < {GOAL_PRECISION}")
        if kind in ("unrelated", "seed") and (s[0] - s[1] > 0 or d[0] - d[1] > 0):
            failed.append(f"{kind}: {s[0] - s[1]} + {d[0] - d[1]} wrong pairs stored")
    if args.details:
        for kind, level, cname, c, a, e in wrong:
            print(f"\nWRONG {kind} {level} {cname} {c:.3f}\n  AR: {a}\n  EN: {e}")
    if failed:
        print("\nmissed goals:\n  " + "\n  ".join(failed))
    return 1 if (failed and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
