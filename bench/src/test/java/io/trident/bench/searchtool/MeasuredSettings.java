package io.trident.bench.searchtool;

/** Builds rows for tests. */
final class MeasuredSettings {
  private MeasuredSettings() {}

  static MeasuredSetting row(String system, String config, int ef, double recall, double qps) {
    return new MeasuredSetting(system, "1.0", config, SearchSetting.ef(ef), 2.5, recall,
        new int[] {1, 2}, new double[] {qps, qps * 1.8}, 90, 150, 210);
  }
}
