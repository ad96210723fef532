"""Cuts a one-file corpus into documents of LINES lines (at line ends) and writes COPIES copies of
them: OUT/r<copy>/<block>/<doc>.txt. Used for the Spark and merge benchmarks (benches/RESULTS.md).

    python3 benches/split_corpus.py ../shared/bench-data/corpus-100MB.txt target/corpus-1g --copies 10
"""

import argparse
import os


def main():
    p = argparse.ArgumentParser()
    p.add_argument("corpus")
    p.add_argument("out")
    p.add_argument("--lines", type=int, default=40, help="lines per document")
    p.add_argument("--copies", type=int, default=1)
    args = p.parse_args()
    with open(args.corpus, "rb") as f:
        lines = f.read().splitlines(keepends=True)
    docs = [b"".join(lines[i:i + args.lines]) for i in range(0, len(lines), args.lines)]
    for c in range(args.copies):
        for i, doc in enumerate(docs):
            path = os.path.join(args.out, f"r{c}", f"{i // 1000:02}", f"{i:05}.txt")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(doc)
    print(f"{len(docs)} documents x {args.copies} copies, {sum(map(len, docs)) * args.copies / 1e6:.0f} MB in {args.out}")


if __name__ == "__main__":
    main()
