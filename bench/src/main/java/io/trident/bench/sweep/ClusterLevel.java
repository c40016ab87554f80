package io.trident.bench.sweep;

import io.trident.bench.demo.ConcurrencySweep;
import java.util.Arrays;
import java.util.List;

/**
 * One concurrency level measured on every member at once: {@code callers} threads per member.
 * The row merges the members' latencies into one distribution; QPS is the sum of the members'
 * rates; RSS is each member's peak during the level, in KiB.
 */
record ClusterLevel(ConcurrencySweep.Level merged, long[] rssKibibytes) {
  /** Parses the members' {@code level ...} answers (see {@link SweepNodeMain}). */
  static ClusterLevel parse(List<String> answers) {
    int callers = 0;
    int attempted = 0;
    int succeeded = 0;
    double qps = 0;
    double secondsMax = 0;
    long[] rss = new long[answers.size()];
    long[][] latencies = new long[answers.size()][];
    for (int node = 0; node < answers.size(); node++) {
      String[] words = answers.get(node).split(" ");
      callers = Integer.parseInt(words[1]);
      int nodeAttempted = Integer.parseInt(words[2]);
      double seconds = Double.parseDouble(words[4]);
      attempted += nodeAttempted;
      succeeded += Integer.parseInt(words[3]);
      qps += nodeAttempted / seconds;
      secondsMax = Math.max(secondsMax, seconds);
      rss[node] = Long.parseLong(words[5]);
      latencies[node] = words.length < 7 || words[6].isEmpty() ? new long[0]
          : Arrays.stream(words[6].split(",")).mapToLong(us -> Long.parseLong(us) * 1000)
              .toArray();
    }
    long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).toArray();
    ConcurrencySweep.Level pooled = ConcurrencySweep.level(callers, attempted, succeeded, all,
        secondsMax);
    // The members ran side by side: the cluster's rate is the sum of theirs.
    ConcurrencySweep.Level merged = new ConcurrencySweep.Level(callers, attempted, succeeded, qps,
        pooled.avgMillis(), pooled.p50Millis(), pooled.p95Millis(), pooled.p99Millis());
    return new ClusterLevel(merged, rss);
  }
}
