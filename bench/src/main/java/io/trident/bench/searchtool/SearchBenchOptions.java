package io.trident.bench.searchtool;

import io.trident.bench.cli.Arguments;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Options of {@code bench.sh search}:
 * <pre>
 * --base B.fvecs --query Q.fvecs [--gt G.ivecs] --index SPEC (repeatable) [--ef 16,32,64]
 * [--nprobe 1,4,16] [--k 10] [--threads 1,2] [--peers lucene,jvector,hnswlib,faiss] [--peer-m 16,32]
 * [--ef-construction 100] [--warmup-seconds 0.5] [--measure-seconds 1.0]
 * [--system-warmup-seconds 3.0] [--queries-max N] [--build-threads 1,2] [--faiss-index HNSW]
 * --out DIR
 * </pre>
 * {@code --build-threads}: Trident builds each spec once per value (default: every core;
 * 1 = one thread), so a serial and a parallel build are compared in one run.
 * {@code --faiss-index}: what the faiss peer builds: HNSW (IndexHNSWFlat per --peer-m, the
 * default) or a FAISS factory string such as {@code Flat} or {@code IVF1024,Flat} (swept over
 * --nprobe), to compare with the Trident spec of the same structure.
 */
public record SearchBenchOptions(
    Path base,
    Path query,
    Optional<Path> groundTruth,
    List<String> indexSpecs,
    List<Integer> efValues,
    List<Integer> nprobeValues,
    int k,
    int[] threadCounts,
    List<String> peers,
    List<Integer> peerConnections,
    int efConstruction,
    double warmupSeconds,
    double measureSeconds,
    double systemWarmupSeconds,
    int queriesMax,
    List<Integer> buildThreads,
    String faissIndex,
    Path out) {

  /** Peers the tool knows. */
  public static final Set<String> KNOWN_PEERS = Set.of("lucene", "jvector", "hnswlib", "faiss",
      TridentNodeSystem.NAME);

  public static SearchBenchOptions parse(String[] args) {
    Arguments arguments = Arguments.parse(args);
    Path base = Path.of(arguments.required("base"));
    Path query = Path.of(arguments.required("query"));
    Optional<Path> groundTruth = Optional.ofNullable(arguments.string("gt", null)).map(Path::of);
    List<String> specs = arguments.all("index");
    List<Integer> ef = arguments.intList("ef", List.of(16, 32, 64));
    List<Integer> nprobe = arguments.intList("nprobe", List.of(1, 4, 16));
    int k = arguments.intValue("k", 10);
    int[] threads = arguments.intList("threads", List.of(1)).stream()
        .mapToInt(Integer::intValue).toArray();
    List<String> peers = arguments.nameList("peers");
    List<Integer> peerConnections = arguments.intList("peer-m", List.of(16, 32));
    int efConstruction = arguments.intValue("ef-construction", 100);
    double warmupSeconds = arguments.doubleValue("warmup-seconds", 0.5);
    double measureSeconds = arguments.doubleValue("measure-seconds", 1.0);
    double systemWarmupSeconds = arguments.doubleValue("system-warmup-seconds", 3.0);
    int queriesMax = arguments.intValue("queries-max", Integer.MAX_VALUE);
    List<Integer> buildThreads = arguments.intList("build-threads",
        List.of(Runtime.getRuntime().availableProcessors()));
    String faissIndex = arguments.string("faiss-index", "HNSW");
    Path out = Path.of(arguments.required("out"));
    arguments.rejectUnused();
    for (String peer : peers) {
      if (!KNOWN_PEERS.contains(peer)) {
        throw new IllegalArgumentException("unknown peer '" + peer + "'; known: " + KNOWN_PEERS);
      }
    }
    if (specs.isEmpty() && peers.isEmpty()) {
      throw new IllegalArgumentException("give --index SPEC and/or --peers");
    }
    if (k <= 0 || efConstruction <= 0 || queriesMax <= 0) {
      throw new IllegalArgumentException("--k, --ef-construction, --queries-max must be > 0");
    }
    return new SearchBenchOptions(base, query, groundTruth, List.copyOf(specs), ef, nprobe, k,
        threads, peers, peerConnections, efConstruction, warmupSeconds, measureSeconds,
        systemWarmupSeconds, queriesMax, List.copyOf(buildThreads), faissIndex,
        out);
  }
}
