#!/usr/bin/env python3
"""FAISS peer of Trident's search benchmark (run by FaissChildRunner as a child process).

Builds faiss.IndexHNSWFlat(d, M) with efConstruction for each M, then measures it the way the
Java SearchMeasurement does: system warm-up, then per efSearch one pass for recall@k, a short
warm-up, and per thread count T, T threads each running the same number of passes over all
queries, one query per index.search call, best of REPEATS timed runs
(faiss.omp_set_num_threads(1); FAISS releases the GIL while searching). Prints
'FAISS_VERSION\t<v>' first, then one 'MEASURED\t...' line per setting in MeasuredSetting's wire
format. Progress goes to stderr.

Arguments: --base F --query F --gt F --k K --m 16,32 --ef-construction 100 --ef 16,32
           --threads 1,2 --warmup-seconds S --measure-seconds S --system-warmup-seconds S
           [--faiss-index HNSW|Flat|IVF<n>,Flat,...] [--nprobe 1,4,16]
--faiss-index (default HNSW): HNSW builds IndexHNSWFlat per M as above; any other FAISS factory
string (e.g. Flat, IVF1024,Flat) is built once with index_factory (IVF trained on up to 100K base
rows, on every core) and swept over --nprobe (IVF) or measured once (Flat).
"""
import argparse
import os
import sys
import threading
import time

import faiss
import numpy as np

PASSES_MAX = 1000
REPEATS = 3  # timed runs per (setting, thread count); the fastest is kept, as in Java
WARMUP_PASSES_MAX = 200
TRAIN_ROWS_MAX = 100000  # as Trident's TridentSystem.TRAIN_ROWS_MAX


def read_vecs(path, dtype):
    raw = np.fromfile(path, dtype=np.int32)
    dim = int(raw[0])
    rows = raw.reshape(-1, dim + 1)
    return np.ascontiguousarray(rows[:, 1:].view(dtype) if dtype == np.float32 else rows[:, 1:])


def read_fvecs(path):
    if path.endswith(".bvecs"):
        raw = np.fromfile(path, dtype=np.uint8)
        dim = int(raw[:4].view(np.int32)[0])
        return np.ascontiguousarray(raw.reshape(-1, dim + 4)[:, 4:].astype(np.float32))
    return read_vecs(path, np.float32)


def run_pass(index, queries, k, offset, latencies, latency_index):
    n = len(queries)
    for i in range(n):
        q = queries[(offset + i) % n:(offset + i) % n + 1]
        before = time.perf_counter_ns()
        index.search(q, k)
        after = time.perf_counter_ns()
        if latencies is not None:
            latencies[latency_index + i] = after - before


def timed_run(index, queries, k, threads, passes, keep_latencies):
    n = len(queries)
    per_thread = passes * n
    latencies = [np.zeros(per_thread, dtype=np.int64) if keep_latencies else None
                 for _ in range(threads)]
    barrier = threading.Barrier(threads + 1)

    def work(t):
        barrier.wait()
        for p in range(passes):
            run_pass(index, queries, k, t * n // threads, latencies[t], p * n)

    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    barrier.wait()
    start = time.perf_counter()
    for w in workers:
        w.join()
    seconds = time.perf_counter() - start
    merged = np.concatenate(latencies) if keep_latencies else None
    return per_thread * threads / seconds, merged


def recall_at_k(index, queries, gt, k):
    hits = 0
    for i in range(len(queries)):
        _, ids = index.search(queries[i:i + 1], k)
        hits += len(set(ids[0][:k].tolist()) & set(gt[i][:k].tolist()))
    return hits / (len(queries) * k)


def percentile_micros(sorted_nanos, fraction):
    rank = int(np.ceil(fraction * len(sorted_nanos)))
    return sorted_nanos[max(0, min(len(sorted_nanos) - 1, rank - 1))] / 1000.0


def main():
    parser = argparse.ArgumentParser()
    for name in ("base", "query", "gt"):
        parser.add_argument("--" + name, required=True)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--m", default="16,32")
    parser.add_argument("--ef-construction", type=int, default=100)
    parser.add_argument("--ef", default="16,32,64")
    parser.add_argument("--threads", default="1")
    parser.add_argument("--warmup-seconds", type=float, default=0.5)
    parser.add_argument("--measure-seconds", type=float, default=1.0)
    parser.add_argument("--system-warmup-seconds", type=float, default=3.0)
    parser.add_argument("--faiss-index", default="HNSW")
    parser.add_argument("--nprobe", default="1,4,16")
    args = parser.parse_args()
    print("FAISS_VERSION\t" + faiss.__version__, flush=True)
    faiss.omp_set_num_threads(1)
    base = read_fvecs(args.base)
    queries = read_fvecs(args.query)
    gt = read_vecs(args.gt, np.int32)[:len(queries)]
    k = args.k
    thread_counts = [int(t) for t in args.threads.split(",")]
    version = "%s (python3-faiss)" % faiss.__version__
    for config, index, build_seconds, settings in built_indexes(args, base):
        apply_setting = settings[0][1]
        apply_setting(index, settings[len(settings) // 2][0])  # system warm-up: middle setting
        warm_start = time.perf_counter()
        passes = 0
        while time.perf_counter() - warm_start < args.system_warmup_seconds and \
                passes < WARMUP_PASSES_MAX:
            run_pass(index, queries, k, 0, None, 0)
            passes += 1
        for value, apply_setting, ef, nprobe in settings:
            apply_setting(index, value)
            measure_setting(args, index, queries, gt, k, thread_counts, version, config, ef,
                            nprobe, build_seconds)


def built_indexes(args, base):
    """Yields (config, index, build seconds, [(value, apply, ef, nprobe)]) per index to measure."""
    set_ef = lambda index, ef: setattr(index.hnsw, "efSearch", ef)
    set_nprobe = lambda index, nprobe: setattr(index, "nprobe", nprobe)
    if args.faiss_index == "HNSW":
        ef_values = [int(e) for e in args.ef.split(",")]
        for m in [int(x) for x in args.m.split(",")]:
            config = "M%d efC%d" % (m, args.ef_construction)
            index = faiss.IndexHNSWFlat(base.shape[1], m)
            index.hnsw.efConstruction = args.ef_construction
            seconds = build(index, base, config, train=False)
            yield config, index, seconds, [(ef, set_ef, ef, 0) for ef in ef_values]
        return
    config = args.faiss_index
    index = faiss.index_factory(base.shape[1], config)
    seconds = build(index, base, config, train=not index.is_trained)
    if config.startswith("IVF"):
        nprobes = [int(p) for p in args.nprobe.split(",")]
        yield config, index, seconds, [(p, set_nprobe, 0, p) for p in nprobes]
    else:
        yield config, index, seconds, [(0, lambda index, value: None, 0, 0)]


def build(index, base, config, train):
    """Adds base in steps of 10000 rows on every core (training first when asked); seconds."""
    print("[bench] building faiss %s: %d vectors" % (config, len(base)), file=sys.stderr,
          flush=True)
    start = time.perf_counter()
    faiss.omp_set_num_threads(os.cpu_count() or 1)  # build on every core
    if train:
        index.train(base[:TRAIN_ROWS_MAX])
    step = 10000
    for s in range(0, len(base), step):
        index.add(base[s:s + step])
        print("[bench]   faiss %s: %d/%d %.1f s" % (config, min(len(base), s + step),
              len(base), time.perf_counter() - start), file=sys.stderr, flush=True)
    faiss.omp_set_num_threads(1)
    return time.perf_counter() - start


def measure_setting(args, index, queries, gt, k, thread_counts, version, config, ef, nprobe,
                    build_seconds):
    """Recall, then QPS per thread count (best of REPEATS), printed as one MEASURED line."""
    start = time.perf_counter()
    recall = recall_at_k(index, queries, gt, k)
    warm = 1
    while time.perf_counter() - start < args.warmup_seconds and warm < WARMUP_PASSES_MAX:
        run_pass(index, queries, k, 0, None, 0)
        warm += 1
    per_pass = max(1e-9, (time.perf_counter() - start) / warm)
    passes = int(max(1, min(PASSES_MAX, np.ceil(args.measure_seconds / REPEATS / per_pass))))
    smallest = min(thread_counts)
    qps = []
    latencies = None
    for t in thread_counts:
        keep = t == smallest and latencies is None
        rate, run_latencies = max(
            (timed_run(index, queries, k, t, passes, keep) for _ in range(REPEATS)),
            key=lambda run: run[0])
        qps.append(rate)
        if keep:
            latencies = np.sort(run_latencies)
    fields = [("system", "faiss"), ("version", version), ("config", config),
              ("ef", str(ef)), ("nprobe", str(nprobe)), ("build", repr(build_seconds)),
              ("recall", repr(recall)),
              ("threads", ",".join(str(t) for t in thread_counts)),
              ("qps", ",".join(repr(float(q)) for q in qps)),
              ("p50", repr(percentile_micros(latencies, 0.50))),
              ("p95", repr(percentile_micros(latencies, 0.95))),
              ("p99", repr(percentile_micros(latencies, 0.99)))]
    print("MEASURED\t" + "".join("%s=%s\t" % f for f in fields), flush=True)
    print("[bench]   faiss %s ef=%d nprobe=%d recall=%.4f qps=%.0f" % (
        config, ef, nprobe, recall, qps[0]), file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
