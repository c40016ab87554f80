package io.trident.bench.cluster;

import java.util.List;

/**
 * A system's own per-layer counters at one moment (seed 003's per-layer evidence). Two samples,
 * taken at the start and end of a measurement window, describe what each layer did in it.
 */
public interface LayerSample {
  /**
   * Lines of a per-layer table (a header line first) for the {@code seconds} between {@code
   * earlier} (a sample of the same system) and this one.
   */
  List<String> describeSince(LayerSample earlier, double seconds);
}
