#!/usr/bin/env python3
"""Checks meshctl against Istio's own validation cases and samples (development aid).

Usage: scripts/istio-corpus-check.py [CORPUS_DIR] [MESHCTL]
CORPUS_DIR defaults to ../shared/corpus (not part of this repository). Every document of an
istio-validation-cases/*-valid.yaml file must produce no error; every document of a *-invalid.yaml
file (its `_err` field stripped) must produce at least one. Every file of istio-samples/ must
produce no error. Prints the disagreements and exits 1 if there are any.
"""
import json
import os
import re
import subprocess
import sys

corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpus")
meshctl = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "target", "debug", "meshctl")


def run(text):
    out = subprocess.run([meshctl, "validate", "-o", "json", "-"], input=text.encode(), capture_output=True)
    return json.loads(out.stdout)


bad = 0
cases = os.path.join(corpus, "istio-validation-cases")
for name in sorted(os.listdir(cases)):
    text = open(os.path.join(cases, name)).read()
    docs = re.split(r"(?m)^---\s*$", text)
    for i, doc in enumerate(docs):
        stripped = "\n".join(l for l in doc.splitlines() if not l.startswith("_err"))
        if not stripped.strip() or "kind:" not in stripped:
            continue
        result = run(stripped)
        errors = [d for d in result["diagnostics"] if d["severity"] == "error"]
        expect_invalid = name.endswith("-invalid.yaml")
        if expect_invalid and not errors:
            bad += 1
            print(f"ACCEPTED  {name} doc {i}: {[l for l in doc.splitlines() if l.startswith('_err')]}")
        if not expect_invalid and errors:
            bad += 1
            print(f"REJECTED  {name} doc {i}: {[(e['path'], e['message']) for e in errors]}")

samples = os.path.join(corpus, "istio-samples")
out = subprocess.run([meshctl, "validate", "-o", "json", samples], capture_output=True)
for d in json.loads(out.stdout)["diagnostics"]:
    if d["severity"] == "error":
        bad += 1
        print(f"SAMPLE    {d['file']}:{d['line']}: {d['code']} {d['message']}")
print(f"{bad} disagreement(s)")
sys.exit(1 if bad else 0)
