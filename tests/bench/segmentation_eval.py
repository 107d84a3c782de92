#!/usr/bin/env python3
"""Sentence segmentation F1 on the shared NTREX cases, end to end.

Builds the cases with ../shared/bench/align/make_cases.py, starts the real
qantara-server on port 0 with a temporary data dir, runs
`qantara segment --lang L` with every NAME.L.doc on stdin into OUT/NAME.L.seg,
scores Arabic and English with ../shared/bench/align/score.py segments and
prints the figures against the goals of issue 3. Exits 1 when an F1 drops
below its floor (the figure qantara reaches today, less a small margin: a
regression) or any document's text changed; skips (exit 0, with a message)
when ../shared is absent.

  segmentation_eval.py --build-dir build [--shared ../shared] [--keep DIR]
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
from qantara_e2e import Server, run_cli  # noqa: E402

# Goals of issue 3 (ICU alone: ar 0.987, en 0.970).
GOALS = {"ar": 0.993, "en": 0.99}
# Fail below these. English meets its goal. Arabic reaches 0.991: most of
# the remaining errors are in the reference itself (sentences the
# translators joined or split against the punctuation, quotations closed
# without a full stop); see the report in the branch history.
FLOORS = {"ar": 0.990, "en": 0.99}


def segment_all(cli, address, cases, out, lang):
    docs = sorted(n for n in os.listdir(cases) if n.endswith(f".{lang}.doc"))
    for name in docs:
        with open(os.path.join(cases, name), "rb") as f:
            doc = f.read()
        r = run_cli(cli, address, "segment", "--lang", lang, stdin=doc)
        if r.returncode != 0:
            raise RuntimeError(f"qantara segment failed on {name}: {r.stderr.decode(errors='replace')}")
        with open(os.path.join(out, name[: -len(".doc")] + ".seg"), "wb") as f:
            f.write(r.stdout)
    return len(docs)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", required=True, help="CMake build dir holding bin/qantara-server and bin/qantara")
    ap.add_argument("--shared", default=os.environ.get("QANTARA_SHARED",
                                                      os.path.join(HERE, "..", "..", "..", "shared")))
    ap.add_argument("--keep", help="write the cases and outputs under this dir instead of a temp dir")
    args = ap.parse_args()

    make_cases = os.path.join(args.shared, "bench", "align", "make_cases.py")
    score = os.path.join(args.shared, "bench", "align", "score.py")
    ntrex = os.path.join(args.shared, "data", "ntrex128-ar-en")
    if not (os.path.exists(make_cases) and os.path.exists(score) and os.path.isdir(ntrex)):
        print(f"SKIP: shared benchmarks not found under {args.shared} (set QANTARA_SHARED)")
        return 0
    server_bin = os.path.join(os.path.abspath(args.build_dir), "bin", "qantara-server")
    cli_bin = os.path.join(os.path.abspath(args.build_dir), "bin", "qantara")

    tmp = None
    if args.keep:
        root = args.keep
        os.makedirs(root, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="qantara-segeval-")
        root = tmp.name
    cases = os.path.join(root, "cases")
    out = os.path.join(root, "out")
    os.makedirs(out, exist_ok=True)
    subprocess.run([sys.executable, make_cases, "--ntrex", ntrex, "--out", cases],
                   check=True, capture_output=True)

    failed = False
    start = time.monotonic()
    with Server(server_bin) as server:
        for lang in ("ar", "en"):
            n = segment_all(cli_bin, server.address, cases, out, lang)
            r = subprocess.run([sys.executable, score, "segments", cases, out, lang],
                               check=True, capture_output=True, text=True)
            summary = r.stdout.strip().splitlines()[-1]
            fig = dict(kv.split("=", 1) for kv in summary.split())
            f1 = float(fig["boundary_f1"])
            changed = int(fig["docs_with_text_changed"])
            ok = f1 >= FLOORS[lang] and changed == 0
            failed |= not ok
            verdict = "goal met" if f1 >= GOALS[lang] else "below goal"
            print(f"segmentation {lang}: {n} docs  F1 {f1:.4f}  P {float(fig['boundary_p']):.4f}  "
                  f"R {float(fig['boundary_r']):.4f}  docs_with_text_changed={changed}  "
                  f"goal F1>={GOALS[lang]} ({verdict})  floor {FLOORS[lang]} "
                  f"{'OK' if ok else 'FAILED'}")
        server.stop()
    print(f"elapsed {time.monotonic() - start:.1f} s")
    if tmp:
        tmp.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
