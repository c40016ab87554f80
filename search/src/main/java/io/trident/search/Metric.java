package io.trident.search;

/** How vectors are compared. */
public enum Metric {
  /** Squared Euclidean distance; smaller is closer. */
  L2(0),
  /** Inner product; larger is closer. */
  INNER_PRODUCT(1),
  /**
   * Cosine similarity; larger is closer. Searched as inner product over vectors the index
   * normalises to unit length on add and on search (the caller's arrays are not modified);
   * saved indexes remember it is cosine.
   */
  COSINE(2);

  private final int nativeCode;

  Metric(int nativeCode) {
    this.nativeCode = nativeCode;
  }

  /** The trident::MetricKind value this metric is stored as. */
  int nativeCode() {
    return nativeCode;
  }

  /** The metric of a trident::MetricKind value read from a saved index. */
  static Metric ofNativeCode(int code) {
    for (Metric metric : values()) {
      if (metric.nativeCode == code) {
        return metric;
      }
    }
    throw new io.trident.error.CorruptIndexException("saved index has unknown metric code " + code);
  }

  /** True when a larger score is a better match. */
  public boolean higherIsCloser() {
    return this != L2;
  }
}
