#!/usr/bin/env python3
"""FQL against DuckDB and SQLite (and Spark, if asked), side by side, on SYNTHETIC statements (issues 12, 16).

    bash scripts/bench.sh --rows 1000000            # document order, then shuffled
    bash scripts/bench.sh --rows 10000000 --reps 5
    bash scripts/bench.sh --rows 10000000 --engines fql,duckdb,spark

The statements come from ../shared/bench/gen.py (deterministic, synthetic: for
benchmarks only) into a scratch folder, $BENCH_DIR (default /tmp/fql-bench),
never under Datasets/. Each engine runs in its own process, one after the
other: FQL (Benchmarks/fql-bench, release build, --csv mode), DuckDB (pip, in a
virtual environment under $BENCH_DIR, on first use) and SQLite (Python's), the
latter two through the workers of ../shared/bench/bench.py with the SQL below,
and Spark (pyspark in local[2] mode, from scripts/engines.sh spark; its JVM's
resident memory) through worker_spark here.
Every query is the FQL question of the issue and its equivalent SQL (Benchmarks/questions.tsv); one
warm-up run, then the median of --reps runs. The answers are compared exactly:
the compared columns (keys and sums, amounts as integer millionths of 万元) are
fingerprinted alike for every engine. Prints one table per row order: medians,
FQL's ratio to each engine, load time (for FQL also the load from the snapshot it
keeps beside statements.tsv) and resident bytes per statement.
"""
import argparse
import json
import os
import random
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "bench")
WORK = os.environ.get("BENCH_DIR", "/tmp/fql-bench")


def read_questions():
    """Benchmarks/questions.tsv: (id, FQL, the FQL result columns compared, equivalent SQL)."""
    out = []
    with open(os.path.join(ROOT, "Benchmarks", "questions.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("id\t") or not line.strip():
                continue
            qid, cols, fql, sql = line.rstrip("\n").split("\t")
            out.append((qid, fql, cols, sql))
    return out


QUERIES = read_questions()


def shared_bench():
    sys.path.insert(0, SHARED)
    import bench  # ../shared/bench/bench.py: its workers, fingerprint and helpers
    bench.QUERIES = [(q[0], q[1], q[3], ()) for q in QUERIES]
    return bench


def worker(engine, csv_path, reps, warmup):
    """In a subprocess: one SQL engine, JSON on stdout."""
    bench = shared_bench()
    if engine == "duckdb":
        res = bench.worker_duckdb(csv_path, reps, warmup, None)
    elif engine == "spark":
        res = worker_spark(bench, csv_path, reps, warmup)
    else:
        res = bench.worker_sqlite(csv_path, reps, warmup)
    print(json.dumps(res))


def worker_spark(bench, csv_path, reps, warmup):
    """Spark in local mode (local[2], as fql --engine spark runs it): the CSV read into a cached view stmt with
    amounts as integer millionths; load is read + cache. Memory is the JVM's resident set (its heap holds the
    cache), read from /proc before and after the load."""
    import time
    import pyspark
    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master("local[2]").appName("fql-bench")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .config("spark.driver.memory", os.environ.get("BENCH_SPARK_MEMORY", "8g"))
             .config("spark.sql.shuffle.partitions", "2").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    jvm = spark.sparkContext._jvm.java.lang.ProcessHandle.current().pid()

    def rss():
        with open(f"/proc/{jvm}/status") as f:
            return next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmRSS:"))
    before = rss()
    t0 = time.perf_counter()
    df = spark.read.csv(csv_path, header=True, quote="", escape="",
                        schema="unit STRING, year SMALLINT, phase STRING, func STRING, econ STRING, nature STRING, amount DECIMAL(18,6)")
    df = df.selectExpr("unit", "year", "phase", "func", "econ", "nature", "CAST(amount * 1000000 AS BIGINT) AS amount").cache()
    n = df.count()
    df.createOrReplaceTempView("stmt")
    load = time.perf_counter() - t0
    after = rss()

    def run(sql, params):
        return [tuple(r) for r in spark.sql(sql).collect()]
    q = bench.time_queries(run, reps, warmup)
    return {"version": pyspark.__version__, "rows": n, "load_s": load, "rss_before": before, "rss_after_load": after, "queries": q}


def venv_python():
    """A Python with duckdb: a virtual environment under WORK, made on first use."""
    venv = os.path.join(WORK, "venv")
    py = os.path.join(venv, "bin", "python3")
    if not os.path.exists(py):
        print(f"bench: installing duckdb into {venv} (first use)", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([py, "-m", "pip", "install", "-q", "duckdb"], check=True)
    return py


def generate(rows):
    """gen.py's CSV in document order, and a copy with the rows shuffled (seeded)."""
    os.makedirs(WORK, exist_ok=True)
    doc = os.path.join(WORK, f"stmts_{rows}.csv")
    if not os.path.exists(doc):
        print(f"bench: generating {rows} SYNTHETIC statements into {doc}", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, os.path.join(SHARED, "gen.py"), str(rows), doc + ".part"], check=True)
        os.replace(doc + ".part", doc)
    shuffled = os.path.join(WORK, f"stmts_{rows}_shuffled.csv")
    if not os.path.exists(shuffled):
        with open(doc, encoding="utf-8") as f:
            header, *lines = f.read().splitlines()
        random.Random(12).shuffle(lines)
        with open(shuffled + ".part", "w", encoding="utf-8") as f:
            f.write(header + "\n" + "\n".join(lines) + "\n")
        os.replace(shuffled + ".part", shuffled)
    return {"document order": doc, "shuffled": shuffled}


def run_fql(csv_path, reps, warmup):
    qfile = os.path.join(WORK, "queries.tsv")
    with open(qfile, "w", encoding="utf-8") as f:
        for qid, fql, cols, _sql in QUERIES:
            f.write(f"{qid}\t{cols}\t{fql}\n")
    binary = os.path.join(ROOT, ".build", "release", "fql-bench")
    p = subprocess.run([binary, "--csv", csv_path, "--queries", qfile, "--reps", str(reps), "--warmup", str(warmup)],
                       cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True)
    res = json.loads(p.stdout)
    # Start-up from the snapshot as a user meets it: a fresh process (the figure the worker took above is a
    # second load beside the first store, slower for the memory that one holds).
    fresh = subprocess.run([binary, "--csv", csv_path, "--queries", qfile, "--load-only"],
                           cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True)
    res["snapshot_load_s"] = json.loads(fresh.stdout)["snapshot_load_s"]
    bench = shared_bench()
    for q in res["queries"].values():
        q["fp"] = bench.fingerprint([tuple(r) for r in q.pop("rows")])
    return res


def spark_python():
    """The project's engines' Python, with pyspark (scripts/engines.sh spark installs it, and Java where there is none)."""
    subprocess.run(["bash", os.path.join(ROOT, "scripts", "engines.sh"), "spark"], check=True)
    return os.path.join(ROOT, ".build", "engines", "venv", "bin", "python3")


def run_sql(engine, csv_path, reps, warmup):
    py = venv_python() if engine == "duckdb" else spark_python() if engine == "spark" else sys.executable
    p = subprocess.run([py, os.path.abspath(__file__), "--worker", engine, "--csv", csv_path,
                        "--reps", str(reps), "--warmup", str(warmup)], stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(p.stdout)


def ms(s):
    v = s * 1e3
    # Three significant figures below 1 ms too (a look-up takes microseconds: 0.0079, not 0.01).
    return f"{v:.3g}" if v < 1 else f"{v:.2f}" if v < 10 else (f"{v:.1f}" if v < 100 else f"{v:.0f}")


def table(order, rows, res):
    engines = list(res)
    print(f"\n{rows:,} SYNTHETIC statements, {order}")
    head = ["", *engines] + [f"FQL/{e}" for e in engines if e != "fql"] + ["agree"]
    out = [head]
    for qid, fql, _c, _s in QUERIES:
        line = [qid] + [ms(res[e]["queries"][qid]["median_s"]) for e in engines]
        line += [f"{res['fql']['queries'][qid]['median_s'] / res[e]['queries'][qid]['median_s']:.2f}×"
                 for e in engines if e != "fql"]
        fps = {res[e]["queries"][qid]["fp"] for e in engines}
        line.append("yes" if len(fps) == 1 else "NO")
        out.append(line)
    out.append(["load s"] + [f"{res[e]['load_s']:.2f}" for e in engines] + [""] * (len(engines) - 1) + [""])
    # FQL's second start, in a fresh process: its store read from the snapshot it made beside statements.tsv.
    out.append(["snapshot s"] + [f"{res[e]['snapshot_load_s']:.2f}" if "snapshot_load_s" in res[e] else "" for e in engines]
               + [""] * (len(engines) - 1) + [""])
    out.append(["B/stmt"] + [f"{(res[e]['rss_after_load'] - (res[e]['rss_before'] or 0)) / res[e]['rows']:.0f}"
                              for e in engines] + [""] * (len(engines) - 1) + [""])
    widths = [max(len(r[i]) for r in out) for i in range(len(head))]
    for r in out:
        print("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))))
    print("medians in ms; " + "; ".join(f"{q[0]}: {q[1]}" for q in QUERIES))
    return all(len({res[e]["queries"][q[0]]["fp"] for e in engines}) == 1 for q in QUERIES)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--engines", default="fql,duckdb,sqlite")
    ap.add_argument("--orders", default="document order,shuffled")
    ap.add_argument("--worker")
    ap.add_argument("--csv")
    a = ap.parse_args()
    if a.worker:
        return worker(a.worker, a.csv, a.reps, a.warmup)
    if os.path.abspath(WORK).startswith(os.path.join(ROOT, "Datasets")):
        sys.exit("bench: BENCH_DIR must not be under Datasets/ (synthetic data never goes there)")
    files = generate(a.rows)
    agree = True
    for order in a.orders.split(","):
        res = {}
        for e in a.engines.split(","):
            print(f"bench: {e}, {order}", file=sys.stderr, flush=True)
            res[e] = run_fql(files[order], a.reps, a.warmup) if e == "fql" else run_sql(e, files[order], a.reps, a.warmup)
        agree = table(order, a.rows, res) and agree
    if not agree:
        sys.exit("bench: the engines disagree (see 'agree')")


if __name__ == "__main__":
    main()
