#!/usr/bin/python3
"""Subsegment recall (MemoryService.Fragments, issue 19 part 3): precision
and coverage of the proposed target fragments on held-out sentence pairs.

A fresh server (port 0, temporary data dir) and one ar -> en memory holding
the real sentence pairs of ../shared: Tatoeba (12,561 pairs, short
conversational sentences), NTREX-128 (1,997 news sentences) and UD PUD
(1,000 news and Wikipedia sentences). Before the memory is filled, pairs are
held out of each set at random (fixed seed): every pair whose Arabic, once
normalised (diacritics, alef variants, tatweel, case and punctuation
folded), is the Arabic of a held-out pair is left out of the memory, so no
query is stored as a whole. For each held-out pair the Arabic is the query
and the English is the reference.

Figures per set and overall:
  precision  the share of proposed target fragments of 2+ words that occur in
             the reference translation (both lower-cased, punctuation
             removed, compared word by word);  goal >= 0.8
  coverage   the share of the queries' words inside a proposed fragment
             (the server's text_words / covered_words);
  fragments per query; Fragments latency p50 / p99 (client-side, the
  server and this client on the same machine); and the p50 / p99 of a plain
  Lookup (threshold 70) of the same queries, for comparison.
--sweep also runs the queries at other min_confidence values.

Needs /usr/bin/python3 with Debian's python3-grpcio and the stubs (target
qantara_py_stubs); exit 77 (skip) when they or ../shared are missing.
--check exits 1 when the overall precision is below --goal."""

import argparse
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))
from proc_lines import read_line  # noqa: E402

HARAKAT = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


def norm_ar(s):
    """The Arabic as lookups fold it, closely enough to find repeats."""
    s = unicodedata.normalize("NFKC", s)
    s = HARAKAT.sub("", s)
    s = re.sub("[أإآٱ]", "ا", s).replace("ى", "ي").replace("ة", "ه")
    return " ".join(re.findall(r"\w+", s.lower()))


def norm_en(s):
    """Lower case, punctuation (apostrophes and hyphens too) between words."""
    return re.findall(r"\w+", unicodedata.normalize("NFKC", s).lower())


def load_sets(shared):
    data = os.path.join(shared, "data")
    sets = {}
    tat = os.path.join(data, "tatoeba-manythings-ara-eng", "ara.txt")
    with open(tat, encoding="utf-8") as f:
        sets["tatoeba"] = [(c[1], c[0]) for c in (line.rstrip("\n").split("\t") for line in f) if len(c) >= 2]
    nt = os.path.join(data, "ntrex128-ar-en")
    with open(os.path.join(nt, "newstest2019-ref.arb.txt"), encoding="utf-8") as a, \
            open(os.path.join(nt, "newstest2019-src.eng.txt"), encoding="utf-8") as e:
        sets["ntrex"] = [(x.strip(), y.strip()) for x, y in zip(a, e)]
    with open(os.path.join(data, "ud-pud-ar-en", "pud-ar-en.tsv"), encoding="utf-8") as f:
        next(f)
        sets["pud"] = [(c[2], c[3]) for c in (line.rstrip("\n").split("\t") for line in f) if len(c) >= 4]
    for name in sets:
        sets[name] = [(a, e) for a, e in sets[name] if a and e and "\t" not in a + e]
    return sets


def pct(values, p):
    if not values:
        return 0.0
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server-bin", required=True)
    ap.add_argument("--stubs", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--held-out", default="tatoeba=1000,ntrex=300,pud=300",
                    help="pairs held out of each set")
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--min-confidence", type=float, default=None, help="(default: the server's)")
    ap.add_argument("--sweep", default="", help="more min_confidence values, comma-separated")
    ap.add_argument("--goal", type=float, default=0.8)
    ap.add_argument("--check", action="store_true", help="exit 1 when precision < --goal")
    ap.add_argument("--show", type=int, default=0, help="print N wrong fragments per set")
    ap.add_argument("--calibration", action="store_true",
                    help="first, precision by confidence, votes and words of every fragment down to 0.01")
    args = ap.parse_args()
    if not os.path.isdir(os.path.join(args.shared, "data", "tatoeba-manythings-ara-eng")):
        print(f"SKIP: no shared data at {args.shared}")
        return 77
    sys.path.insert(0, args.stubs)
    try:
        import grpc
        from qantara.v1 import memory_pb2 as mpb, memory_pb2_grpc
    except ImportError as e:
        print(f"SKIP: {e} (python3-grpcio, python3-protobuf; target qantara_py_stubs)")
        return 77

    sets = load_sets(args.shared)
    rng = random.Random(args.seed)
    held = {}
    held_norms = set()
    for spec in args.held_out.split(","):
        name, n = spec.split("=")
        pairs = sets[name][:]
        rng.shuffle(pairs)
        chosen, seen = [], set()
        for a, e in pairs:
            k = norm_ar(a)
            if len(k.split()) < 3 or k in seen:
                continue  # a query of 1-2 words has no fragment to find but itself
            seen.add(k)
            chosen.append((a, e))
            if len(chosen) == int(n):
                break
        held[name] = chosen
        held_norms |= seen
    memory = [(a, e) for name in sets for a, e in sets[name] if norm_ar(a) not in held_norms]

    tmp = tempfile.mkdtemp(prefix="qantara-fragments-eval-")
    proc = subprocess.Popen([args.server_bin, "--listen", "127.0.0.1:0", "--data-dir", os.path.join(tmp, "data"),
                             "--log-level", "warn"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        m = re.fullmatch(rb"listening on (\S+)\n", read_line(proc.stdout, 60))
        if not m:
            print("FAIL: the server did not start")
            return 1
        channel = grpc.insecure_channel(m.group(1).decode())
        stub = memory_pb2_grpc.MemoryServiceStub(channel)
        stub.CreateMemory(mpb.CreateMemoryRequest(name="eval", source_lang="ar", target_lang="en"))
        t0 = time.monotonic()

        def chunks():
            for i in range(0, len(memory), 1000):
                yield mpb.AddUnitsRequest(memory="eval", policy=mpb.DUPLICATE_POLICY_SKIP_IDENTICAL,
                                          units=[mpb.Unit(source=a, target=e) for a, e in memory[i:i + 1000]])
        added = stub.AddUnits(chunks(), timeout=600).added
        print(f"memory: {added} units ({', '.join(f'{k} {len(v)}' for k, v in sets.items())} pairs, "
              f"held out {sum(len(v) for v in held.values())}) in {time.monotonic() - t0:.1f} s")

        def calibration():
            """Every fragment down to confidence 0.01: precision by confidence and by words."""
            bins = {}
            for pairs in held.values():
                for a, e in pairs:
                    resp = stub.Fragments(mpb.FragmentsRequest(memory="eval", text=a, min_confidence=0.01,
                                                               max_fragments=100), timeout=60)
                    ref = " " + " ".join(norm_en(e)) + " "
                    for f in resp.fragments:
                        words = norm_en(f.target)
                        if len(words) < 2:
                            continue
                        hit = " " + " ".join(words) + " " in ref
                        for key in (("confidence", min(9, int(f.confidence * 10)) / 10),
                                    ("votes", min(4, len(f.unit_ids))), ("words", min(4, f.words))):
                            b = bins.setdefault(key, [0, 0])
                            b[0] += 1
                            b[1] += hit
            for key in sorted(bins):
                n, h = bins[key]
                print(f"  {key[0]} {key[1]}: {n} fragments, precision {h / n:.3f}")

        def run(min_conf, show):
            overall = {"props": 0, "hits": 0, "words": 0, "covered": 0, "queries": 0, "lat": [], "lookup": []}
            rows = []
            for name, pairs in held.items():
                s = {"props": 0, "hits": 0, "words": 0, "covered": 0, "queries": 0, "lat": [], "lookup": []}
                wrong = []
                for a, e in pairs:
                    req = mpb.FragmentsRequest(memory="eval", text=a)
                    if min_conf is not None:
                        req.min_confidence = min_conf
                    t = time.perf_counter()
                    resp = stub.Fragments(req, timeout=60)
                    s["lat"].append((time.perf_counter() - t) * 1000)
                    t = time.perf_counter()
                    stub.Lookup(mpb.LookupRequest(memories=["eval"], text=a, threshold=70), timeout=60)
                    s["lookup"].append((time.perf_counter() - t) * 1000)
                    ref = " " + " ".join(norm_en(e)) + " "
                    covered = set()
                    for f in resp.fragments:
                        words = norm_en(f.target)
                        if len(words) < 2:
                            continue
                        s["props"] += 1
                        if " " + " ".join(words) + " " in ref:
                            s["hits"] += 1
                        elif len(wrong) < show:
                            wrong.append((f.source, f.target, round(f.confidence, 2), f.supporting_units, e[:90]))
                        covered.update(range(f.first_word, f.first_word + f.words))
                    s["words"] += resp.text_words
                    s["covered"] += len(covered)
                    s["queries"] += 1
                for k in overall:
                    overall[k] += s[k]
                rows.append((name, s))
                for w in wrong:
                    print("   wrong:", w)
            rows.append(("all", overall))
            label = "server default" if min_conf is None else f"{min_conf}"
            print(f"min_confidence {label}:")
            for name, s in rows:
                prec = s["hits"] / s["props"] if s["props"] else float("nan")
                cov = s["covered"] / s["words"] if s["words"] else 0
                print(f"  {name:8s} queries {s['queries']:4d}  fragments {s['props']:5d} "
                      f"({s['props'] / max(1, s['queries']):.2f}/query)  precision {prec:.3f}  "
                      f"coverage {cov:.3f}  Fragments p50/p99 {statistics.median(s['lat']):.1f}/"
                      f"{pct(s['lat'], 99):.1f} ms  Lookup p50/p99 {statistics.median(s['lookup']):.1f}/"
                      f"{pct(s['lookup'], 99):.1f} ms")
            return overall["hits"] / overall["props"] if overall["props"] else 0.0

        if args.calibration:
            calibration()
        precision = run(args.min_confidence, args.show)
        for v in [x for x in args.sweep.split(",") if x]:
            run(float(v), 0)
        channel.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    if args.check and precision < args.goal:
        print(f"FAIL: precision {precision:.3f} < {args.goal}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
