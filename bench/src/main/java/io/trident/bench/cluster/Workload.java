package io.trident.bench.cluster;

import java.util.Locale;

/** The operation mix of a closed-loop run: every operation a put, or 90% puts and 10% gets. */
public enum Workload {
  PUT(100),
  MIX90(90);

  private final int putPercent;

  Workload(int putPercent) {
    this.putPercent = putPercent;
  }

  /** Percentage (0-100) of operations that are puts; the rest are gets. */
  public int putPercent() {
    return putPercent;
  }

  /** The lower-case name used on the command line and in reports. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Workload parse(String label) {
    for (Workload workload : values()) {
      if (workload.label().equals(label.trim().toLowerCase(Locale.ROOT))) {
        return workload;
      }
    }
    throw new IllegalArgumentException("unknown workload '" + label + "' (put, mix90)");
  }
}
