package io.trident.bench.searchtool;

import java.util.List;

/** The Trident systems of a run: one per --index spec, in the order given. */
final class TridentSystems {
  private TridentSystems() {}

  static List<AnnSystem> create(SearchBenchOptions options) {
    return options.indexSpecs().stream()
        .map(spec -> (AnnSystem) new TridentSystem(spec, options.efConstruction(),
            options.efValues(), options.nprobeValues()))
        .toList();
  }
}
