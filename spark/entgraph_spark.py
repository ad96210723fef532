"""entgraph on Apache Spark: the graph of many documents, byte for byte what one
`entgraph build` of the same documents writes.

    spark-submit --master local[2] spark/entgraph_spark.py corpus --out graph \
        --entgraph target/release/entgraph --dict dictionaries --rules dictionaries/patterns.toml

How it runs (see spark/README.md):
1. Every INPUT is read with `binaryFiles` (local, HDFS, S3, ...: bytes and names exact),
   directories recursively, keeping `*.txt` and `*.md` files as `entgraph build` does. In local
   mode, an INPUT on the local file system is listed by Python instead (Hadoop lists local files
   with a process per file when its native library is missing). A
   document's name is the INPUT as given followed by its path inside it, as `entgraph build`
   names it.
2. Each partition is written to a scratch directory on its executor and built there with the
   entgraph binary (`entgraph build`, one thread per task); the compiled dictionary is cached
   per executor (ENTGRAPH_CACHE_DIR in the executor's temporary directory).
3. The partitions' graphs are merged in a tree (`entgraph merge`, FAN_IN graphs per merge, on the
   executors), so no more than FAN_IN graphs meet anywhere at once.
4. The driver gets the one merged graph and streams the partitions' mentions, one partition at a
   time, into a scratch directory; a last `entgraph merge` there writes every output into --out
   (mentions.jsonl in document-name order), through the same code as `entgraph build`.

Spark retries a failed task (spark.task.maxFailures); a task's output depends only on its
documents, so a retried task gives the same bytes.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

# The default fan-in of the merge tree.
FAN_IN = 8
# The file types `entgraph build` reads from a directory.
TEXT_SUFFIXES = (".txt", ".md")


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="entgraph_spark.py",
        description="Build the entgraph graph of documents on Spark.",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="files or directories any Spark can read (relative paths or URIs such as hdfs://, s3a://, file:///)")
    p.add_argument("--out", required=True, help="output directory on the driver (created if missing)")
    p.add_argument("--entgraph", default=None,
                   help="the entgraph binary: a path, or a file name shipped with --files [default: entgraph shipped with --files, else on PATH]")
    p.add_argument("--dict", action="append", default=[],
                   help="dictionary file or directory, as for entgraph (a path on every node, or a name shipped with --files/--archives); repeatable")
    p.add_argument("--rules", default=None, help="pattern rules file, as for entgraph")
    p.add_argument("--no-rules", action="store_true", help="dictionaries only")
    p.add_argument("--window", default="sentence", choices=["sentence", "paragraph", "document"])
    p.add_argument("--min-weight", type=int, default=1)
    p.add_argument("--formats", default="dot,json", help="as for entgraph build")
    p.add_argument("--partitions", type=int, default=0,
                   help="the least number of partitions of each INPUT [default: Spark's default parallelism]")
    p.add_argument("--listing", choices=["auto", "hadoop"], default="auto",
                   help="auto: in local mode, list local INPUTs with Python; hadoop: always binaryFiles")
    p.add_argument("--fan-in", type=int, default=FAN_IN, help="graphs per merge in the tree (at least 2)")
    p.add_argument("--fail-once", type=int, default=None, metavar="PARTITION",
                   help=argparse.SUPPRESS)  # tests: the first attempt of this partition's task fails
    p.add_argument("--fail-marker", default=None, help=argparse.SUPPRESS)  # tests: touched by that failure
    args = p.parse_args(argv)
    if args.fan_in < 2:
        p.error("--fan-in must be at least 2")
    for i in args.inputs:
        if i.startswith("/"):
            p.error(f"{i}: give an absolute local path as file://{i} (documents are named by INPUT as given, "
                    "and each executor rebuilds those names under its scratch directory)")
    return args


def resolve(path):
    """A path on this node: as given when it exists, else the file shipped with --files/--archives."""
    if path is None or os.path.exists(path):
        return path
    from pyspark import SparkFiles
    shipped = SparkFiles.get(os.path.basename(path.rstrip("/")))
    return shipped if os.path.exists(shipped) else path


def entgraph_binary(path):
    if path is not None:
        binary = resolve(path)
    else:
        binary = resolve("entgraph")
        if not os.path.exists(binary):
            binary = shutil.which("entgraph") or "entgraph"
    if os.path.exists(binary) and not os.access(binary, os.X_OK):
        os.chmod(binary, 0o755)
    return os.path.abspath(binary) if os.path.exists(binary) else binary


def run(cmd, cwd, env=None):
    """Runs entgraph; a failure raises with its one-line message (the task fails, Spark retries)."""
    done = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:2])} failed ({done.returncode}): {done.stderr.decode(errors='replace').strip()}")
    return done


def executor_env():
    """entgraph's environment on an executor: the compiled dictionary cached once per node."""
    env = dict(os.environ)
    env["ENTGRAPH_CACHE_DIR"] = os.path.join(tempfile.gettempdir(), f"entgraph-cache-{os.getuid()}")
    return env


def recognition_args(opts):
    out = []
    for d in opts["dicts"]:
        out += ["--dict", os.path.abspath(resolve(d))]
    if opts["no_rules"]:
        out.append("--no-rules")
    elif opts["rules"] is not None:
        out += ["--rules", os.path.abspath(resolve(opts["rules"]))]
    return out


def document_names(sc, inputs, partitions, listing="auto"):
    """(name, bytes) of every document of the INPUTs: each INPUT read with binaryFiles (recursively),
    named INPUT + its path inside it, keeping *.txt and *.md files outside hidden directories."""
    jvm = sc._jvm
    conf = sc._jsc.hadoopConfiguration()
    conf.set("mapreduce.input.fileinputformat.input.dir.recursive", "true")
    rdds = []
    for given in inputs:
        path = jvm.org.apache.hadoop.fs.Path(given)
        fs = path.getFileSystem(conf)
        qualified = fs.makeQualified(path).toString().rstrip("/")
        is_dir = fs.getFileStatus(path).isDirectory()
        root = given.rstrip("/") if is_dir else given

        def name_of(uri, qualified=qualified, root=root, is_dir=is_dir):
            if not is_dir:
                return root
            # Paths from binaryFiles are qualified; some file systems write file:/x as file:///x.
            rel = uri[len(qualified):] if uri.startswith(qualified) else uri.split(qualified.split(":", 1)[-1], 1)[-1]
            return root + "/" + rel.lstrip("/")

        def keep(name, root=root, is_dir=is_dir):
            if not is_dir:
                return True
            inside = name[len(root) + 1:].split("/")
            return (not any(part.startswith(".") for part in inside)
                    and inside[-1].lower().endswith(TEXT_SUFFIXES))

        local = local_path(sc, given) if listing == "auto" else None
        if local is not None:
            rdds.append(local_documents(sc, given, local, is_dir, partitions, keep))
            continue
        rdd = sc.binaryFiles(given, minPartitions=partitions).map(lambda kv, f=name_of: (f(kv[0]), bytes(kv[1])))
        rdds.append(rdd.filter(lambda kv, k=keep: k(kv[0])))
    return sc.union(rdds) if len(rdds) > 1 else rdds[0]


def local_path(sc, given):
    """The local path of an INPUT when Spark runs in local mode and the INPUT is on the local file
    system (a relative path or file://), else None."""
    if not sc.master.startswith("local"):
        return None
    if given.startswith("file://"):
        path = given[len("file://"):]
    elif "://" in given or given.startswith("file:"):
        return None
    else:
        path = given
    return path if os.path.exists(path) else None


def local_documents(sc, given, path, is_dir, partitions, keep):
    """An INPUT of the local file system in local mode: listed here and read by the tasks, which
    share this machine's files. (Hadoop's listing of local files starts a process per file to
    read its permissions when its native library is missing: minutes for 50,000 files.)"""
    if is_dir:
        root = given.rstrip("/")
        names = []
        for d, subdirs, files in os.walk(path):
            subdirs[:] = [x for x in subdirs if not x.startswith(".")]
            rel = os.path.relpath(d, path)
            for f in files:
                name = root + "/" + (f if rel == "." else rel + "/" + f)
                if keep(name) and os.path.isfile(os.path.join(d, f)):
                    names.append((name, os.path.join(d, f)))
    else:
        names = [(given, path)]
    names.sort()

    def read(kv):
        with open(kv[1], "rb") as f:
            return kv[0], f.read()

    return sc.parallelize(names, max(1, min(partitions, len(names)))).map(read)


def build_partition(opts):
    """A task: the partition's documents written under a scratch directory, built with entgraph;
    gives (graph.json, mentions.jsonl) as bytes, or nothing for an empty partition."""

    def build(index, docs):
        from pyspark import TaskContext
        docs = list(docs)
        if not docs:
            return []
        if opts["fail_once"] == index and TaskContext.get().attemptNumber() == 0:
            if opts["fail_marker"]:
                open(opts["fail_marker"], "w").close()
            raise RuntimeError(f"injected failure in the first attempt of partition {index}")
        scratch = tempfile.mkdtemp(prefix="entgraph-part-")
        try:
            top = []
            for name, data in docs:
                path = os.path.join(scratch, "docs", name)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as f:
                    f.write(data)
            # The INPUTs present: the directories walk to their documents (sorted), files stand alone.
            for root, is_dir in opts["roots"]:
                if is_dir and any(n.startswith(root + "/") for n, _ in docs):
                    top.append(root)
                elif not is_dir and any(n == root for n, _ in docs):
                    top.append(root)
            out = os.path.join(scratch, "out")
            cmd = [opts["entgraph"], "build", "-q", *top, "--out", out, "--formats", "json",
                   "--window", opts["window"], "--threads", "1", *recognition_args(opts)]
            run(cmd, cwd=os.path.join(scratch, "docs"), env=executor_env())
            with open(os.path.join(out, "graph.json"), "rb") as f:
                graph = f.read()
            with open(os.path.join(out, "mentions.jsonl"), "rb") as f:
                mentions = f.read()
            return [(index, graph, mentions)]
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    return build


def merge_graphs(opts):
    """A task of the tree: merges its group's graph.json files with entgraph merge."""

    def merge(group):
        graphs = list(group[1])
        if len(graphs) == 1:
            return graphs[0]
        scratch = tempfile.mkdtemp(prefix="entgraph-merge-")
        try:
            paths = []
            for i, g in enumerate(graphs):
                p = os.path.join(scratch, f"{i}.json")
                with open(p, "wb") as f:
                    f.write(g)
                paths.append(p)
            out = os.path.join(scratch, "out")
            run([opts["entgraph"], "merge", "-q", *paths, "--out", out, "--formats", "json"], cwd=scratch)
            with open(os.path.join(out, "graph.json"), "rb") as f:
                return f.read()
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    return merge


def tree_merge(graphs, fan_in, opts):
    """Merges an RDD of graph.json bytes in a tree, fan_in at a time, until one is left."""
    count = graphs.count()
    while count > 1:
        groups = (count + fan_in - 1) // fan_in
        graphs = (graphs.zipWithIndex()
                  .map(lambda gi, k=fan_in: (gi[1] // k, gi[0]))
                  .groupByKey(numPartitions=groups)
                  .map(merge_graphs(opts)))
        count = groups
    return graphs.first()


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from pyspark import SparkContext, StorageLevel
    sc = SparkContext.getOrCreate()
    return run_job(sc, args, StorageLevel.MEMORY_AND_DISK)


def run_job(sc, args, storage):
    jvm = sc._jvm
    conf = sc._jsc.hadoopConfiguration()
    roots = []
    for given in args.inputs:
        path = jvm.org.apache.hadoop.fs.Path(given)
        is_dir = path.getFileSystem(conf).getFileStatus(path).isDirectory()
        roots.append((given.rstrip("/") if is_dir else given, is_dir))
    opts = {
        "entgraph": entgraph_binary(args.entgraph),
        "dicts": args.dict,
        "rules": args.rules,
        "no_rules": args.no_rules,
        "window": args.window,
        "roots": roots,
        "fail_once": args.fail_once,
        "fail_marker": args.fail_marker,
    }
    docs = document_names(sc, args.inputs, args.partitions or sc.defaultParallelism, args.listing)
    parts = docs.mapPartitionsWithIndex(build_partition(opts)).persist(storage)
    try:
        graph = tree_merge(parts.map(lambda p: p[1]), args.fan_in, opts)
        os.makedirs(args.out, exist_ok=True)
        scratch = tempfile.mkdtemp(prefix=".entgraph-spark-", dir=args.out)
        try:
            with open(os.path.join(scratch, "graph.json"), "wb") as f:
                f.write(graph)
            with open(os.path.join(scratch, "mentions.jsonl"), "wb") as f:
                for mentions in parts.map(lambda p: p[2]).toLocalIterator():
                    f.write(mentions)
            # The recognition options name the output set (graph.set) as entgraph build names it.
            cmd = [opts["entgraph"], "merge", "-q", scratch, "--out", args.out, "--formats", args.formats,
                   "--min-weight", str(args.min_weight), *recognition_args(opts)]
            run(cmd, cwd=os.getcwd())
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    finally:
        parts.unpersist()
    return 0


if __name__ == "__main__":
    sys.exit(main())
