#!/usr/bin/env python3
"""SentencePiece reference vectors in the fixture format of tests/fixtures/testdata/tokenizer (see its README):
the raw ids and pieces that the `sentencepiece` library gives for sentences of a labels file and a few edge cases.

Needs Debian's python3-sentencepiece (0.1.97, the version of the shipped vectors); never run by the tests. Example:

    /usr/bin/python3 scripts/vectors/sentencepiece_cases.py --split test --count 120 \
        --out tests/fixtures/testdata/tokenizer/phoenix_sentencepiece_test.json

The model is named relative to the fixtures root (the folder holding testdata/ and data/), as the tests resolve it.
"""
import argparse
import gzip
import json
import os
import pickle

import sentencepiece

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "fixtures")
MODEL = "data/phoenix2014t/mbart-trimmed/sentencepiece.bpe.model"
EDGE_CASES = ["", " ", "  zwei  leerzeichen  ", "UPPER case", "punkt. komma, fragezeichen?", "1995 2024 -5 3,5",
              "œuvre naïve café", "straße STRASSE", "\u00a0geschütztes leerzeichen", "ﬁ ligatur ＡＢＣ"]


class DataOnlyUnpickler(pickle.Unpickler):
    # The labels files hold plain dicts, lists and strings: refuse anything that would run code.
    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"refusing {module}.{name}: labels files hold data only")


def sentences(labels_path, count):
    with open(labels_path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    samples = DataOnlyUnpickler(__import__("io").BytesIO(raw)).load()
    return [sample["text"] for _, sample in sorted(samples.items())][:count]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="test", choices=["train", "dev", "test"])
    parser.add_argument("--count", type=int, default=120, help="sentences taken from the split, in sample-name order")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    processor = sentencepiece.SentencePieceProcessor(model_file=os.path.join(FIXTURES, MODEL))
    texts = sentences(os.path.join(FIXTURES, "data", "phoenix2014t", f"labels.{args.split}"), args.count) + EDGE_CASES
    cases = [{"text": text, "pieces": processor.encode(text, out_type=str), "ids": processor.encode(text)} for text in texts]
    document = {
        "model": MODEL,
        "note": f"ids are raw sentencepiece ids (no fairseq/mBART offset, no special tokens); sentencepiece "
                f"{sentencepiece.__version__}; the first {args.count} Phoenix-2014T {args.split} sentences by sample name, "
                f"then edge cases (scripts/vectors/sentencepiece_cases.py)",
        "cases": cases,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(document, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{args.out}: {len(cases)} cases")


if __name__ == "__main__":
    main()
