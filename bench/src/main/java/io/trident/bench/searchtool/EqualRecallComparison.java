package io.trident.bench.searchtool;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Compares systems at equal recall. A system's point at a target recall: for each of its build
 * configs, the row with the lowest setting (smallest ef, then nprobe) whose recall reaches the
 * target; of those, the one with the highest single-thread QPS. A system with no row reaching
 * the target has no point there. Stateless apart from the rows it is given.
 */
public final class EqualRecallComparison {
  /** Recall targets the report compares at. */
  public static final double[] TARGETS = {0.90, 0.95, 0.99};
  /** The target of the closing line's ratio. */
  public static final double HEADLINE_TARGET = 0.95;

  private final String subject;
  private final Map<String, List<MeasuredSetting>> rowsBySystem = new LinkedHashMap<>();

  /** {@code subject}: the system the ratios are for (trident); all others are peers. */
  public EqualRecallComparison(String subject, List<MeasuredSetting> rows) {
    this.subject = subject;
    for (MeasuredSetting row : rows) {
      rowsBySystem.computeIfAbsent(row.system(), s -> new ArrayList<>()).add(row);
    }
  }

  /** The point of {@code system} at {@code target}, if any of its rows reaches it. */
  public Optional<MeasuredSetting> pointAt(String system, double target) {
    Map<String, MeasuredSetting> lowestPerConfig = new LinkedHashMap<>();
    Comparator<MeasuredSetting> bySetting = Comparator
        .comparingInt((MeasuredSetting r) -> r.setting().efSearch())
        .thenComparingInt(r -> r.setting().nprobe());
    for (MeasuredSetting row : rowsBySystem.getOrDefault(system, List.of())) {
      if (row.recall() >= target) {
        lowestPerConfig.merge(row.config(), row,
            (a, b) -> bySetting.compare(a, b) <= 0 ? a : b);
      }
    }
    return lowestPerConfig.values().stream()
        .max(Comparator.comparingDouble(MeasuredSetting::singleThreadQps));
  }

  /** Peer systems (all but the subject), in order of first appearance. */
  public List<String> peers() {
    return rowsBySystem.keySet().stream().filter(s -> !s.equals(subject)).toList();
  }

  /** The peer with the highest single-thread QPS at {@code target}, if any reaches it. */
  public Optional<MeasuredSetting> bestPeerAt(double target) {
    return peers().stream().map(p -> pointAt(p, target)).flatMap(Optional::stream)
        .max(Comparator.comparingDouble(MeasuredSetting::singleThreadQps));
  }

  /** Subject QPS / best peer QPS at {@code target}; NaN if either has no point there. */
  public double ratioToBestPeer(double target) {
    Optional<MeasuredSetting> mine = pointAt(subject, target);
    Optional<MeasuredSetting> best = bestPeerAt(target);
    if (mine.isEmpty() || best.isEmpty()) {
      return Double.NaN;
    }
    return mine.get().singleThreadQps() / best.get().singleThreadQps();
  }

  /** Human-readable lines: per target, each system's point and the subject's ratio to it. */
  public List<String> reportLines(int k) {
    List<String> lines = new ArrayList<>();
    lines.add("single-thread QPS at equal recall@" + k
        + " (per system: best config at its lowest setting reaching the target):");
    for (double target : TARGETS) {
      Optional<MeasuredSetting> mine = pointAt(subject, target);
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  recall>=%.2f: %s",
          target, describe(subject, mine)));
      for (String peer : peers()) {
        Optional<MeasuredSetting> theirs = pointAt(peer, target);
        line.append(" | ").append(describe(peer, theirs));
        if (mine.isPresent() && theirs.isPresent()) {
          line.append(String.format(Locale.ROOT, " -> %s/%s = %.2fx", subject, peer,
              mine.get().singleThreadQps() / theirs.get().singleThreadQps()));
        }
      }
      lines.add(line.toString());
    }
    return lines;
  }

  private static String describe(String system, Optional<MeasuredSetting> point) {
    return point.map(p -> String.format(Locale.ROOT, "%s %.0f qps (%s %s, recall %.4f)", system,
        p.singleThreadQps(), p.config(), p.setting().label(), p.recall()))
        .orElse(system + " not reached");
  }
}
