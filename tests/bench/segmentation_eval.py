#!/usr/bin/env python3
"""Sentence segmentation F1 on the shared NTREX cases, end to end, with two
cross-check sets of other genres.

Builds the cases with ../shared/bench/align/make_cases.py, starts the real
qantara-server on port 0 with a temporary data dir, runs
`qantara segment --lang L` with every NAME.L.doc on stdin into OUT/NAME.L.seg,
scores Arabic and English with ../shared/bench/align/score.py segments and
prints the figures against the goals of issue 3.

Sets (each skipped, saying so, when its data is absent):
  ntrex     NTREX-128 news (the issue's goal): ../shared/data/ntrex128-ar-en
  pud       Parallel UD treebanks (news and Wikipedia sentences, gold
            sentence boundaries of the treebank): ../shared/data/ud-pud-ar-en,
            four treebank documents to a case
  tatoeba   Tatoeba pairs (short conversational sentences, dialogue, quoted
            speech): ../shared/data/tatoeba-manythings-ara-eng, a seeded
            sample of 3,000 pairs in cases of 20. Some Tatoeba entries hold two
            sentences ("Hi. How are you?") that the gold counts as one, so its
            precision has a ceiling below 1: use it to compare rule changes.
  informal  informal and transcribed text written for qantara with gold
            boundaries (tests/bench/segmentation/informal.{ar,en}.txt, in the
            repository; issue 19): talks with "..", "...", "؟!", stage
            directions, quotations, dialogue, numbers, abbreviations, Latin
            words, URLs. Small (220 Arabic, 64 English sentences): one error
            moves F1 by about 0.004 (ar) or 0.008 (en).
  tatoeba-dots  (Arabic only) the Tatoeba sample rewritten as informal
            writers punctuate: seeded, most final "." become ".." (some
            "..."), some "!" become "!!" and "؟" become "؟!", a sentence
            without a final mark ends its paragraph, and a fifth of the
            sentences that start with an Arabic letter follow the previous
            one without a space. Tells whether those terminators end
            sentences; the Tatoeba precision ceiling applies, and every
            "..." here ends a sentence (qantara reads it as a pause).
  debian    software messages (LibreOffice, VLC, GnuCash, Krita catalogs):
            ../shared/data/debian-l10n-ar, a seeded sample of 1,500 entries
            that are one sentence on both sides (end with . ! ? ؟, no
            terminator followed by a space inside, no markup, no menu "...")
            in documents of 10 (paragraphs as make_cases makes them). Tells
            whether dots inside file names, versions, URLs and numbers stay
            inside; says nothing about abbreviations (entries with ". "
            inside are left out).
The cross-check sets guard against rules that fit the news corpus only: a
change must not lower them.

Exits 1 when an F1 drops below its floor (the figure qantara reaches today,
less a small margin: a regression) or any document's text changed; skips
(exit 0, with a message) when ../shared is absent.

  segmentation_eval.py --build-dir build [--shared ../shared] [--keep DIR]
                       [--sets ntrex,pud,tatoeba,informal,tatoeba-dots,debian] [--icu-only | --srx FILE [--srx-mode replace]]

--icu-only segments with ICU's sentence rules alone (an SRX document with no
rules, in replace mode): the baseline, checked against no floor.
"""

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
from qantara_e2e import Server, run_cli  # noqa: E402

# Goals of issue 3 on NTREX (ICU alone: ar 0.987, en 0.970).
GOALS = {("ntrex", "ar"): 0.993, ("ntrex", "en"): 0.99}
# Fail below these: today's figures (ntrex ar 0.9933, en 0.9976; pud ar
# 0.9989, en 0.9995; tatoeba ar 0.9957, en 0.9941; informal ar 0.9908, en
# 0.9922; tatoeba-dots ar 0.9547; debian ar and en 0.9986) less a small margin. Most
# of the remaining NTREX Arabic errors are in the reference itself (sentences
# the translators joined against the punctuation, headlines and misplaced
# quotation marks).
FLOORS = {
    ("ntrex", "ar"): 0.993, ("ntrex", "en"): 0.997,
    ("pud", "ar"): 0.998, ("pud", "en"): 0.999,
    ("tatoeba", "ar"): 0.995, ("tatoeba", "en"): 0.993,
    ("informal", "ar"): 0.985, ("informal", "en"): 0.985,
    ("tatoeba-dots", "ar"): 0.95,
    ("debian", "ar"): 0.998, ("debian", "en"): 0.998,
}
# The languages of each set (the derived Tatoeba set is Arabic only).
LANGS = {"tatoeba-dots": ("ar",)}
FIXTURES = os.path.join(HERE, "segmentation")

# An SRX document without rules: with --srx-mode replace, ICU decides alone.
EMPTY_SRX = """<?xml version="1.0" encoding="UTF-8"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0">
  <header segmentsubflows="yes" cascade="yes"/>
  <body><languagerules><languagerule languagerulename="none"/></languagerules>
  <maprules><languagemap languagepattern="zz" languagerulename="none"/></maprules></body>
</srx>
"""


def segment_all(cli, address, cases, out, lang, extra):
    docs = sorted(n for n in os.listdir(cases) if n.endswith(f".{lang}.doc"))
    for name in docs:
        with open(os.path.join(cases, name), "rb") as f:
            doc = f.read()
        r = run_cli(cli, address, "segment", "--lang", lang, *extra, stdin=doc)
        if r.returncode != 0:
            raise RuntimeError(f"qantara segment failed on {name}: {r.stderr.decode(errors='replace')}")
        with open(os.path.join(out, name[: -len(".doc")] + ".seg"), "wb") as f:
            f.write(r.stdout)
    return len(docs)


def write_pud_tsv(data, path, docs_per_case=4):
    """pud-ar-en.tsv (sent_id, doc_id, arabic, english, ...) as make_cases' doc/arabic/english,
    docs_per_case treebank documents (2.5 sentences each on average) to a case."""
    src = os.path.join(data, "ud-pud-ar-en", "pud-ar-en.tsv")
    if not os.path.exists(src):
        return False
    with open(src, encoding="utf-8") as f, open(path, "w", encoding="utf-8") as out:
        cols = {n: i for i, n in enumerate(f.readline().rstrip("\n").split("\t"))}
        out.write("doc\tarabic\tenglish\n")
        seen = {}
        for line in f:
            p = line.rstrip("\n").split("\t")
            case = seen.setdefault(p[cols["doc_id"]], len(seen)) // docs_per_case
            out.write(f"p{case:03d}\t{p[cols['arabic']]}\t{p[cols['english']]}\n")
    return True


def read_tatoeba_rows(data):
    """Tatoeba's (english, arabic, ...) rows with both sides, or None when absent."""
    src = os.path.join(data, "tatoeba-manythings-ara-eng", "ara.txt")
    if not os.path.exists(src):
        return None
    with open(src, encoding="utf-8") as f:
        rows = [l.rstrip("\n").split("\t") for l in f if l.strip()]
    return [r for r in rows if len(r) >= 2 and r[0].strip() and r[1].strip()]


def write_tatoeba_tsv(data, path, pairs=3000, per_doc=20, seed=1):
    """A seeded sample of Tatoeba pairs (english, arabic, attribution), per_doc to a case."""
    rows = read_tatoeba_rows(data)
    if rows is None:
        return False
    random.Random(seed).shuffle(rows)
    with open(path, "w", encoding="utf-8") as out:
        out.write("doc\tarabic\tenglish\n")
        for i, r in enumerate(rows[:pairs]):
            out.write(f"t{i // per_doc:04d}\t{r[1].strip()}\t{r[0].strip()}\n")
    return True


def write_fixture_cases(lang, cases):
    """informal.LANG.txt ("=== NAME", one gold sentence a line, blank line between
    paragraphs, "+" glues a sentence to the previous one) as NAME.LANG (gold) and
    NAME.LANG.doc (running text) under cases/."""
    src = os.path.join(FIXTURES, f"informal.{lang}.txt")
    if not os.path.exists(src):
        return 0
    docs, name, paras = [], None, []
    with open(src, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                continue
            if line.startswith("=== "):
                name, paras = line[4:].strip(), [[]]
                docs.append((name, paras))
            elif not line.strip():
                if paras and paras[-1]:
                    paras.append([])
            else:
                paras[-1].append(line)
    os.makedirs(cases, exist_ok=True)
    for name, paras in docs:
        gold, text = [], []
        for para in (p for p in paras if p):
            t = ""
            for sent in para:
                glued = sent.startswith("+")
                sent = sent[1:] if glued else sent
                t += sent if (glued or not t) else " " + sent
                gold.append(sent)
            text.append(t)
        with open(os.path.join(cases, f"{name}.{lang}"), "w", encoding="utf-8") as f:
            f.write("\n".join(gold) + "\n")
        with open(os.path.join(cases, f"{name}.{lang}.doc"), "w", encoding="utf-8") as f:
            f.write("\n\n".join(text) + "\n")
    return len(docs)


def write_tatoeba_dots_cases(data, cases, pairs=3000, per_doc=20, seed=2):
    """Tatoeba's Arabic sentences punctuated as informal writers do (see the docstring)."""
    rows = read_tatoeba_rows(data)
    if rows is None:
        return False
    sents = [r[1].strip() for r in rows]
    rng = random.Random(seed)
    rng.shuffle(sents)
    os.makedirs(cases, exist_ok=True)
    for d in range(0, min(pairs, len(sents)), per_doc):
        gold, paras, para = [], [], ""
        for s in sents[d:d + per_doc]:
            x = rng.random()
            if s.endswith(".") and not s.endswith(".."):
                s = s + "." if x < 0.6 else (s + ".." if x < 0.8 else s)
            elif s.endswith("!") and x < 0.5:
                s += "!"
            elif s.endswith("؟") and x < 0.3:
                s += "!"
            gold.append(s)
            if not para:
                para = s
            elif rng.random() < 0.2 and "\u0621" <= s[0] <= "\u064a":  # glued to an Arabic letter
                para += s
            else:
                para += " " + s
            # As in make_cases: a sentence without a final mark ends its paragraph.
            if rng.random() < 0.25 or not s.endswith((".", "!", "?", "؟", "…")):
                paras.append(para)
                para = ""
        if para:
            paras.append(para)
        name = f"d{d // per_doc:04d}"
        with open(os.path.join(cases, f"{name}.ar"), "w", encoding="utf-8") as f:
            f.write("\n".join(gold) + "\n")
        with open(os.path.join(cases, f"{name}.ar.doc"), "w", encoding="utf-8") as f:
            f.write("\n\n".join(paras) + "\n")
    return True


def write_debian_tsv(data, path, entries=1500, per_doc=10, seed=3):
    """Software messages that are one sentence on both sides (see the docstring)."""
    src = os.path.join(data, "debian-l10n-ar", "l10n-ar-en.tsv")
    if not os.path.exists(src):
        return False
    ends = re.compile(r"[.!?؟]$")
    inner = re.compile(r"[.!?؟…]\s")
    keep = set()
    with open(src, encoding="utf-8") as f:
        f.readline()
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) < 4:
                continue
            en, ar = p[2].strip(), p[3].strip()
            if any(c in en + ar for c in "\\<>%~&_$"):
                continue
            if not (ends.search(en) and ends.search(ar)) or en.endswith("..") or ar.endswith(".."):
                continue
            if inner.search(en[:-1]) or inner.search(ar[:-1]) or en.endswith("…") or ar.endswith("…"):
                continue
            if len(ar.split()) < 3 or len(en.split()) < 3:
                continue
            keep.add((ar, en))
    rows = sorted(keep)
    random.Random(seed).shuffle(rows)
    with open(path, "w", encoding="utf-8") as out:
        out.write("doc\tarabic\tenglish\n")
        for i, (ar, en) in enumerate(rows[:entries]):
            out.write(f"m{i // per_doc:04d}\t{ar}\t{en}\n")
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", required=True, help="CMake build dir holding bin/qantara-server and bin/qantara")
    ap.add_argument("--shared", default=os.environ.get("QANTARA_SHARED",
                                                      os.path.join(HERE, "..", "..", "..", "shared")))
    ap.add_argument("--keep", help="write the cases and outputs under this dir instead of a temp dir")
    ap.add_argument("--sets", default="ntrex,pud,tatoeba,informal,tatoeba-dots,debian",
                    help="comma-separated: ntrex, pud, tatoeba, informal, tatoeba-dots, debian")
    ap.add_argument("--icu-only", action="store_true", help="ICU's rules alone (the baseline; no floors)")
    ap.add_argument("--srx", help="an SRX file that extends the built-in rules (to try rules out)")
    ap.add_argument("--srx-mode", choices=("extend", "replace"), default="extend",
                    help="with --srx: extend (default) or replace the built-in rules")
    args = ap.parse_args()

    make_cases = os.path.join(args.shared, "bench", "align", "make_cases.py")
    score = os.path.join(args.shared, "bench", "align", "score.py")
    data = os.path.join(args.shared, "data")
    if not (os.path.exists(make_cases) and os.path.exists(score) and os.path.isdir(data)):
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

    # Build the cases of every set whose data is present.
    sets = []
    for name in args.sets.split(","):
        cases = os.path.join(root, name, "cases")
        if name == "ntrex":
            ntrex = os.path.join(data, "ntrex128-ar-en")
            if not os.path.isdir(ntrex):
                print(f"SKIP ntrex: {ntrex} not found")
                continue
            cmd = [sys.executable, make_cases, "--ntrex", ntrex, "--out", cases]
        elif name == "informal":
            if not all(write_fixture_cases(lang, cases) for lang in ("ar", "en")):
                print(f"SKIP informal: fixtures not found under {FIXTURES}")
                continue
            sets.append((name, cases))
            continue
        elif name == "tatoeba-dots":
            if not write_tatoeba_dots_cases(data, cases):
                print(f"SKIP {name}: its data is not under {data}")
                continue
            sets.append((name, cases))
            continue
        elif name in ("pud", "tatoeba", "debian"):
            tsv = os.path.join(root, f"{name}.tsv")
            writer = {"pud": write_pud_tsv, "tatoeba": write_tatoeba_tsv, "debian": write_debian_tsv}[name]
            ok = writer(data, tsv)
            if not ok:
                print(f"SKIP {name}: its data is not under {data}")
                continue
            cmd = [sys.executable, make_cases, "--tsv", tsv, "--out", cases, "--min-sentences", "1"]
        else:
            ap.error(f"unknown set {name}")
        subprocess.run(cmd, check=True, capture_output=True)
        sets.append((name, cases))

    extra = []
    if args.icu_only:
        empty = os.path.join(root, "empty.srx")
        with open(empty, "w", encoding="utf-8") as f:
            f.write(EMPTY_SRX)
        extra = ["--srx", empty, "--srx-mode", "replace"]
    elif args.srx:
        extra = ["--srx", os.path.abspath(args.srx), "--srx-mode", args.srx_mode]

    failed = False
    start = time.monotonic()
    with Server(server_bin) as server:
        for name, cases in sets:
            out = os.path.join(root, name, "out")
            os.makedirs(out, exist_ok=True)
            for lang in LANGS.get(name, ("ar", "en")):
                n = segment_all(cli_bin, server.address, cases, out, lang, extra)
                r = subprocess.run([sys.executable, score, "segments", cases, out, lang],
                                   check=True, capture_output=True, text=True)
                summary = r.stdout.strip().splitlines()[-1]
                fig = dict(kv.split("=", 1) for kv in summary.split())
                f1 = float(fig["boundary_f1"])
                changed = int(fig["docs_with_text_changed"])
                line = (f"segmentation {name} {lang}: {n} docs  F1 {f1:.4f}  P {float(fig['boundary_p']):.4f}  "
                        f"R {float(fig['boundary_r']):.4f}  docs_with_text_changed={changed}")
                if args.icu_only:
                    print(line + "  (ICU alone)")
                    continue
                ok = f1 >= FLOORS[(name, lang)] and changed == 0
                failed |= not ok
                if (name, lang) in GOALS:
                    goal = GOALS[(name, lang)]
                    line += f"  goal F1>={goal} ({'goal met' if f1 >= goal else 'below goal'})"
                print(f"{line}  floor {FLOORS[(name, lang)]} {'OK' if ok else 'FAILED'}")
        server.stop()
    print(f"elapsed {time.monotonic() - start:.1f} s")
    if tmp:
        tmp.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
