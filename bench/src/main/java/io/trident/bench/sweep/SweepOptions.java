package io.trident.bench.sweep;

import io.trident.bench.cli.Arguments;
import java.nio.file.Path;
import java.util.List;

/** Options of {@code bench.sh sweep}; see {@link #USAGE}. */
record SweepOptions(int nodes, Path data, String index, int ef, int k, List<Integer> levels,
    Path out, int batchRows, int windowBatches, int queriesPerLevel, double secondsPerLevel,
    String mode, String nodeHeap, Path work, List<String> nodeOptions, List<String> nodeJvmArguments,
    int ingestLevel, boolean standalone, List<Integer> compareEfs) {
  static final String USAGE = String.join("\n",
      "  sweep   --nodes 3 --data DIR --index HNSW32 --ef 128 --concurrency 1,2,4,8,16,64,256",
      "          --out DIR [--batch 512] [--window 8] [--queries-per-level 20000]",
      "          [--seconds-per-level 5] [--mode sync|async|both] [--node-heap 1g] [--work DIR]",
      "          [--option name=value ...] [--node-jvm-arg ARG ...] [--ingest-level 16]",
      "          [--standalone true|false] [--compare-ef 16,32,64,128]",
      "                                                  3 node processes: ingest via Raft, then",
      "                                                  search from all at each concurrency");

  static SweepOptions parse(String[] args) {
    Arguments arguments = Arguments.parse(args);
    SweepOptions options = new SweepOptions(
        arguments.intValue("nodes", 3),
        Path.of(arguments.string("data", "../shared/data/sift5k")),
        arguments.string("index", "HNSW32"),
        arguments.intValue("ef", 128),
        arguments.intValue("k", 10),
        arguments.intList("concurrency", List.of(1, 2, 4, 8, 16, 64, 256)),
        Path.of(arguments.string("out", "bench-out/sweep")),
        arguments.intValue("batch", 512),
        arguments.intValue("window", 8),
        arguments.intValue("queries-per-level", 20_000),
        arguments.doubleValue("seconds-per-level", 5),
        arguments.string("mode", "sync"),
        arguments.string("node-heap", "1g"),
        arguments.has("work") ? Path.of(arguments.string("work", null)) : null,
        arguments.all("option"),
        arguments.all("node-jvm-arg"),
        arguments.intValue("ingest-level", 16),
        Boolean.parseBoolean(arguments.string("standalone", "true")),
        arguments.intList("compare-ef", List.of(16, 32, 64, 128)));
    arguments.rejectUnused();
    if (options.nodes < 1 || options.nodes > 9) {
      throw new IllegalArgumentException("--nodes must be 1..9, was " + options.nodes);
    }
    if (!List.of("sync", "async", "both").contains(options.mode)) {
      throw new IllegalArgumentException("--mode is sync, async or both, not " + options.mode);
    }
    if (options.batchRows < 1 || options.windowBatches < 1 || options.queriesPerLevel < 1
        || options.levels.stream().anyMatch(level -> level < 1)
        || options.compareEfs.isEmpty() || options.compareEfs.stream().anyMatch(ef -> ef < 1)) {
      throw new IllegalArgumentException("--batch, --window, --queries-per-level, every"
          + " --concurrency level and every --compare-ef must be >= 1");
    }
    for (String option : options.nodeOptions) {
      if (option.indexOf('=') <= 0) {
        throw new IllegalArgumentException("--option takes name=value, not '" + option + "'");
      }
    }
    return options;
  }
}
