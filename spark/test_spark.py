"""The Spark job in local mode against `entgraph build`, byte for byte (run by scripts/test).

    python spark/test_spark.py --entgraph target/debug/entgraph

Makes a corpus of the seeds, both validation sets and 1,200 documents generated from their lines
(a fixed seed) and builds it with `entgraph build`; then runs the job twice through its command
line in one Spark application on `local[2,4]` (two threads, a task tried up to 4 times): over the
seeds and the validation sets read with `binaryFiles`, the partial outputs kept by Spark (as on a
cluster without a shared directory), and over the whole corpus (local listing, partial outputs
in a scratch directory: local mode's defaults) with the first attempt of one task failing (Spark retries it: the task leaves a marker file, and
the job still succeeds). Each run must write the bytes `entgraph build` writes for the same
INPUTs, in every format. Prints `spark: N passed, M failed` and exits 1 on a failure.
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FORMATS = "dot,json,graphml,gexf,cytoscape,csv"
FILES = ["graph.dot", "graph.json", "graph.graphml", "graph.gexf", "graph.cyjs",
         "nodes.csv", "edges.csv", "mentions.jsonl"]
GENERATED = 1200


def make_corpus(root):
    """seeds/, val1/, val2/ copied from the repository and gen/ generated; gives the INPUTs in
    name order (directories whose names sort as their documents do)."""
    lines = []
    for name, src in [("seeds", "seeds"), ("val1", "tests/fixtures/validation/docs"),
                      ("val2", "tests/fixtures/validation-2/docs")]:
        shutil.copytree(os.path.join(REPO, src), os.path.join(root, name))
        for f in sorted(os.listdir(os.path.join(root, name))):
            with open(os.path.join(root, name, f), encoding="utf-8") as fh:
                lines += [l for l in fh.read().splitlines() if l.strip()]
    rng = random.Random(24)
    for i in range(GENERATED):
        doc = "\n".join(rng.choice(lines) for _ in range(rng.randint(2, 9))) + "\n"
        path = os.path.join(root, "gen", f"{i % 7}", f"{i:04}.txt")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(doc)
    return ["gen", "seeds", "val1", "val2"]


def same_files(want, got):
    """The files that differ (or are missing) between two output directories."""
    bad = []
    for f in FILES:
        a, b = os.path.join(want, f), os.path.join(got, f)
        if not os.path.exists(b):
            bad.append(f"{f} missing")
            continue
        with open(a, "rb") as x, open(b, "rb") as y:
            if x.read() != y.read():
                bad.append(f"{f} differs")
    return bad


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--entgraph", default=os.path.join(REPO, "target/debug/entgraph"))
    args = p.parse_args()
    entgraph = os.path.abspath(args.entgraph)
    venv_bin = os.path.dirname(sys.executable)
    env = dict(os.environ)
    env["PATH"] = venv_bin + os.pathsep + env.get("PATH", "")
    env["PYSPARK_PYTHON"] = sys.executable
    env["PYSPARK_DRIVER_PYTHON"] = sys.executable
    work = tempfile.mkdtemp(prefix="entgraph-spark-test-")
    env["ENTGRAPH_CACHE_DIR"] = os.path.join(work, "cache")
    recognize = ["--dict", os.path.join(REPO, "dictionaries"),
                 "--rules", os.path.join(REPO, "dictionaries/patterns.toml")]
    passed, failed = 0, 0
    try:
        inputs = make_corpus(work)
        docs = sum(len(files) for _, _, files in os.walk(work))
        started = time.time()
        small = [i for i in inputs if i != "gen"]
        for ref, given in [("ref", inputs), ("ref-small", small)]:
            subprocess.run([entgraph, "build", "-q", *given, "--out", ref, "--formats", FORMATS, *recognize],
                           cwd=work, env=env, check=True)
        print(f"spark test: {docs} documents; entgraph build in {time.time() - started:.1f} s", file=sys.stderr)
        marker = os.path.join(work, "failed-once")
        # The plain run reads with binaryFiles and leaves the partial outputs to Spark (as on a
        # cluster without a shared directory); the other lists the local files itself and keeps
        # the partial outputs in a scratch directory (local mode's defaults).
        # (Hadoop lists local files with a process per file: binaryFiles reads the small sets.)
        runs = [("plain, binaryFiles", small, "ref-small", ["--listing", "hadoop", "--shared-dir", "none"]),
                ("first attempt of task 1 failing", inputs, "ref", ["--fail-once", "1", "--fail-marker", marker])]
        # One Spark application (local[2,4]: two threads, a task tried up to 4 times) runs the job
        # twice through its command line, as spark-submit would.
        os.environ.update(env)
        os.chdir(work)
        sys.path.insert(0, os.path.join(REPO, "spark"))
        import entgraph_spark
        from pyspark import SparkConf, SparkContext
        conf = (SparkConf().setMaster("local[2,4]").setAppName("entgraph-spark-test")
                .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false"))
        sc = SparkContext(conf=conf)
        sc.setLogLevel("ERROR")
        sc.addPyFile(os.path.join(REPO, "spark/entgraph_spark.py"))
        try:
            for label, given, ref, extra in runs:
                out = os.path.join(work, "out-" + label.split()[0].strip(","))
                argv = [*given, "--out", out, "--entgraph", entgraph, *recognize, "--formats", FORMATS,
                        "--partitions", "1", "--fan-in", "2", *extra]
                started = time.time()
                problems = []
                try:
                    entgraph_spark.main(argv)
                except Exception as e:  # the job's failure is the test's failure
                    problems.append(f"the job failed: {str(e)[-2000:]}")
                took = time.time() - started
                if not problems:
                    problems += same_files(os.path.join(work, ref), out)
                    if "--fail-once" in extra and not os.path.exists(marker):
                        problems.append("the injected failure did not happen")
                if problems:
                    failed += 1
                    print(f"spark test FAILED ({label}, {took:.1f} s): " + "; ".join(problems), file=sys.stderr)
                else:
                    passed += 1
                    print(f"spark test ok ({label}): every file as entgraph build's, {took:.1f} s", file=sys.stderr)
        finally:
            sc.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"spark: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
