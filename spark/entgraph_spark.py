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
2. Each partition (by default at most PARTITION_MB MB, and at least as many partitions as Spark
   runs tasks at once) is written to a scratch directory on its executor and built there with the
   entgraph binary (`entgraph build`, one thread per task); the compiled dictionary is cached per
   executor (ENTGRAPH_CACHE_DIR in the executor's temporary directory).
3. A task keeps its outputs (graph.json, mentions.jsonl) as files in a shared directory (in local
   mode, a scratch directory inside --out; on a cluster, --shared-dir), so that only their paths
   go through Spark; or, without a shared directory, as compressed bytes that Spark keeps on the
   executors' disks (DISK_ONLY), never in the JVM's heap.
4. The partitions' graphs are merged in a tree (`entgraph merge`, FAN_IN graphs per merge, on the
   executors) until at most FAN_IN are left.
5. The driver puts each graph left in a directory with the mentions of its partitions, and one
   `entgraph merge` of those writes every output into --out (mentions.jsonl in document-name
   order), through the same code as `entgraph build`.

Spark retries a failed task (spark.task.maxFailures); a task's output depends only on its
documents, so a retried task gives the same bytes.
"""

import argparse
import collections
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zlib

# The default fan-in of the merge tree.
FAN_IN = 8
# The default most bytes of documents in one partition, in MB.
PARTITION_MB = 512
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
                   help="the number of partitions of each INPUT [default: enough that none holds more than "
                        "--partition-mb, and at least Spark's default parallelism over all INPUTs]")
    p.add_argument("--partition-mb", type=int, default=PARTITION_MB,
                   help="without --partitions: the most MB of documents in one partition [default: %(default)s]")
    p.add_argument("--shared-dir", default=None, metavar="DIR|none",
                   help="a directory every executor and the driver see at the same path, where the tasks keep their "
                        "outputs [default: in local mode, a scratch directory inside --out; on a cluster, none: Spark keeps them]")
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


def document_names(sc, inputs, partitions, partition_mb, listing="auto"):
    """(name, bytes) of every document of the INPUTs: each INPUT read with binaryFiles (recursively),
    named INPUT + its path inside it, keeping *.txt and *.md files outside hidden directories.
    Each INPUT has `partitions` partitions, or when 0 enough that none holds more than
    `partition_mb` MB and, over all INPUTs, at least Spark's default parallelism."""
    jvm = sc._jvm
    conf = sc._jsc.hadoopConfiguration()
    conf.set("mapreduce.input.fileinputformat.input.dir.recursive", "true")
    sizes = [input_size(sc, g, listing) for g in inputs]
    total = max(1, sum(sizes))

    def parts(size):
        if partitions:
            return partitions
        return max(1, -(-size // (partition_mb * 1_000_000)), -(-sc.defaultParallelism * size // total))

    rdds = []
    for given, size in zip(inputs, sizes):
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
            rdds.append(local_documents(sc, given, local, is_dir, parts(size), keep))
            continue
        rdd = sc.binaryFiles(given, minPartitions=parts(size))
        if rdd.getNumPartitions() > parts(size):  # Hadoop splits at 128 MB
            rdd = rdd.coalesce(parts(size))
        rdd = rdd.map(lambda kv, f=name_of: (f(kv[0]), bytes(kv[1])))
        rdds.append(rdd.filter(lambda kv, k=keep: k(kv[0])))
    return sc.union(rdds) if len(rdds) > 1 else rdds[0]


def input_size(sc, given, listing):
    """The bytes of the files under an INPUT (all files, not only the documents)."""
    local = local_path(sc, given) if listing == "auto" else None
    if local is None:
        path = sc._jvm.org.apache.hadoop.fs.Path(given)
        return path.getFileSystem(sc._jsc.hadoopConfiguration()).getContentSummary(path).getLength()
    if os.path.isfile(local):
        return os.path.getsize(local)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(local) for f in files
               if os.path.isfile(os.path.join(d, f)))


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
    # Runs of documents in name order, of about the same number of bytes.
    sizes = [os.path.getsize(p) for _, p in names]
    total = max(1, sum(sizes))
    chunks = [[] for _ in range(max(1, min(partitions, len(names))))]
    before = 0
    for doc, size in zip(names, sizes):
        chunks[min(len(chunks) - 1, before * len(chunks) // total)].append(doc)
        before += size
    chunks = [c for c in chunks if c]

    def read(chunk):
        for name, p in chunk:
            with open(p, "rb") as f:
                yield name, f.read()

    return sc.parallelize(chunks, len(chunks)).flatMap(read)


def put(opts, local, name):
    """Keeps a task's output file `local`: moved to `name` in the shared directory (its path is
    the handle), or read and compressed (the bytes are the handle, kept by Spark)."""
    if opts["shared"] is not None:
        path = os.path.join(opts["shared"], name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        os.replace(local, path)  # a retried or speculative task writes the same bytes
        return path
    out = zlib.compressobj(1)
    chunks = []
    with open(local, "rb") as f:
        while True:
            block = f.read(1 << 24)
            if not block:
                break
            chunks.append(out.compress(block))
    chunks.append(out.flush())
    return b"".join(chunks)


def get(handle, local, append=False):
    """The file a handle stands for, as a path on this node: the shared file itself, or the
    bytes decompressed into `local` (appended with `append`)."""
    if isinstance(handle, str):
        if not append:
            return handle
        with open(handle, "rb") as src, open(local, "ab") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        return local
    d = zlib.decompressobj()
    with open(local, "ab" if append else "wb") as f:
        data = handle
        while data:
            f.write(d.decompress(data, 1 << 24))
            data = d.unconsumed_tail
        f.write(d.flush())
    return local


def task_scratch(opts):
    """A scratch directory for a task's entgraph output: in the shared directory (so the files
    are moved, not copied, into place) or in the node's temporary directory."""
    return tempfile.mkdtemp(prefix=".task-", dir=opts["shared"])


def build_partition(opts):
    """A task: the partition's documents written under a scratch directory (one at a time, as they
    come), built with entgraph; gives (index, {"graph": handle, "mentions": handle}), or nothing
    for an empty partition."""

    def build(index, docs):
        from pyspark import TaskContext
        if opts["fail_once"] == index and TaskContext.get().attemptNumber() == 0:
            if opts["fail_marker"]:
                open(opts["fail_marker"], "w").close()
            raise RuntimeError(f"injected failure in the first attempt of partition {index}")
        scratch = tempfile.mkdtemp(prefix="entgraph-part-")
        out = task_scratch(opts)
        try:
            present = set()
            for name, data in docs:
                path = os.path.join(scratch, "docs", name)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as f:
                    f.write(data)
                for root, is_dir in opts["roots"]:
                    if (name.startswith(root + "/") if is_dir else name == root):
                        present.add(root)
            if not present:
                return []
            # The INPUTs present, in their order: directories walk to their documents (sorted),
            # files stand alone.
            top = [root for root, _ in opts["roots"] if root in present]
            cmd = [opts["entgraph"], "build", "-q", *top, "--out", out, "--formats", "json",
                   "--window", opts["window"], "--threads", "1", *recognition_args(opts)]
            shutil.rmtree(out)
            run(cmd, cwd=os.path.join(scratch, "docs"), env=executor_env())
            return [(index, {
                "graph": put(opts, os.path.join(out, "graph.json"), f"leaf-{index:05}/graph.json"),
                "mentions": put(opts, os.path.join(out, "mentions.jsonl"), f"mentions-{index:05}.jsonl"),
            })]
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)

    return build


def merge_graphs(opts, level):
    """A task of the tree: merges its group's graphs with entgraph merge (graph.json only)."""

    def merge(group):
        key, handles = group[0], list(group[1])
        if len(handles) == 1:
            return key, handles[0]
        scratch = task_scratch(opts)
        try:
            paths = [get(h, os.path.join(scratch, f"{i}.json")) for i, h in enumerate(handles)]
            out = os.path.join(scratch, "out")
            run([opts["entgraph"], "merge", "-q", *paths, "--out", out, "--formats", "json"], cwd=scratch)
            return key, put(opts, os.path.join(out, "graph.json"), f"merge-{level}-{key:05}/graph.json")
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    return merge


def tree_merge(leaves, keys, fan_in, opts):
    """Merges the leaves' graphs (an RDD of (leaf index, graph handle); `keys` are the leaf
    indexes) in a tree, fan_in at a time, until at most fan_in are left. Gives the graphs left as
    (group, handle), and `span`: group g holds the leaves whose index // span is g."""
    graphs, span, level = leaves, 1, 0
    while len(keys) > fan_in:
        level += 1
        keys = sorted({k // fan_in for k in keys})
        graphs = (graphs.map(lambda kv, k=fan_in: (kv[0] // k, kv[1]))
                  .groupByKey(numPartitions=len(keys))
                  .map(merge_graphs(opts, level)))
        span *= fan_in
    return sorted(graphs.toLocalIterator(), key=lambda kv: kv[0]), span


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from pyspark import SparkContext
    sc = SparkContext.getOrCreate()
    return run_job(sc, args)


def run_job(sc, args):
    from pyspark import StorageLevel
    jvm = sc._jvm
    conf = sc._jsc.hadoopConfiguration()
    roots = []
    for given in args.inputs:
        path = jvm.org.apache.hadoop.fs.Path(given)
        is_dir = path.getFileSystem(conf).getFileStatus(path).isDirectory()
        roots.append((given.rstrip("/") if is_dir else given, is_dir))
    os.makedirs(args.out, exist_ok=True)
    scratch = tempfile.mkdtemp(prefix=".entgraph-spark-", dir=args.out)
    shared = shared_dir(sc, args, scratch)
    opts = {
        "entgraph": entgraph_binary(args.entgraph),
        "dicts": args.dict,
        "rules": args.rules,
        "no_rules": args.no_rules,
        "window": args.window,
        "roots": roots,
        "shared": shared,
        "fail_once": args.fail_once,
        "fail_marker": args.fail_marker,
    }
    docs = document_names(sc, args.inputs, args.partitions, args.partition_mb, args.listing)
    leaves = docs.mapPartitionsWithIndex(build_partition(opts)).persist(StorageLevel.DISK_ONLY)
    try:
        started = time.time()
        keys = sorted(leaves.keys().collect())
        stage(f"{len(keys)} partitions built", started)
        started = time.time()
        finals, span = tree_merge(leaves.map(lambda kv: (kv[0], kv[1]["graph"])), keys, args.fan_in, opts)
        stage(f"merged in a tree to {len(finals)} graphs", started)
        started = time.time()
        # The graphs left, each in a directory with the mentions of its leaves (in leaf order;
        # entgraph merge sorts them by document name).
        dirs = {}
        for group, handle in finals:
            d = os.path.join(scratch, f"final-{group:05}")
            os.makedirs(d)
            graph = get(handle, os.path.join(d, "graph.json"))
            if graph != os.path.join(d, "graph.json"):
                os.symlink(os.path.abspath(graph), os.path.join(d, "graph.json"))
            dirs[group] = d
        mentions = leaves.map(lambda kv: (kv[0], kv[1]["mentions"]))
        leaves_of = collections.Counter(k // span for k in keys)
        for index, handle in (mentions.collect() if shared is not None else mentions.toLocalIterator()):
            path = os.path.join(dirs[index // span], "mentions.jsonl")
            if isinstance(handle, str) and leaves_of[index // span] == 1:
                os.symlink(os.path.abspath(handle), path)  # a partition's own mentions, as they are
            else:
                get(handle, path, append=True)
        stage("graphs and mentions on the driver", started)
        started = time.time()
        # The recognition options name the output set (graph.set) as entgraph build names it.
        cmd = [opts["entgraph"], "merge", "-q", *[dirs[g] for g, _ in finals], "--out", args.out,
               "--formats", args.formats, "--min-weight", str(args.min_weight), *recognition_args(opts)]
        run(cmd, cwd=os.getcwd())
        stage(f"merged and written to {args.out}", started)
    finally:
        leaves.unpersist()
        if shared is not None and shared != scratch:
            shutil.rmtree(shared, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def stage(what, started):
    print(f"entgraph_spark: {what} ({time.time() - started:.1f} s)", file=sys.stderr, flush=True)


def shared_dir(sc, args, scratch):
    """The directory the tasks keep their outputs in, seen by every executor and the driver at the
    same path; None: the outputs are kept by Spark (compressed bytes, on the executors' disks)."""
    if args.shared_dir == "none":
        return None
    if args.shared_dir is not None:
        os.makedirs(args.shared_dir, exist_ok=True)
        return tempfile.mkdtemp(prefix=".entgraph-spark-", dir=args.shared_dir)
    # In local mode the tasks run on this machine: the scratch directory inside --out is shared.
    return os.path.abspath(scratch) if sc.master.startswith("local") else None


if __name__ == "__main__":
    sys.exit(main())
