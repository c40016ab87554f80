package io.trident.bench.searchtool;

/**
 * One search-time setting of a sweep. {@code efSearch} is the HNSW candidate-list size (Lucene:
 * k = numCandidates = ef; JVector: rerankK = ef); {@code nprobe} the IVF lists probed; 0 means
 * the setting does not apply to the index.
 */
public record SearchSetting(int efSearch, int nprobe) {
  public SearchSetting {
    if (efSearch < 0 || nprobe < 0) {
      throw new IllegalArgumentException("efSearch and nprobe must be >= 0");
    }
  }

  public static SearchSetting ef(int efSearch) {
    return new SearchSetting(efSearch, 0);
  }

  /** E.g. "ef=64", "nprobe=8", "ef=64 nprobe=8" or "-" when neither applies. */
  public String label() {
    StringBuilder label = new StringBuilder();
    if (efSearch > 0) {
      label.append("ef=").append(efSearch);
    }
    if (nprobe > 0) {
      label.append(label.length() > 0 ? " " : "").append("nprobe=").append(nprobe);
    }
    return label.length() == 0 ? "-" : label.toString();
  }
}
