package io.trident.bench.searchtool;

import java.util.List;

/** The Trident systems of a run: one per --index spec and --build-threads value, in order. */
final class TridentSystems {
  private TridentSystems() {}

  static List<AnnSystem> create(SearchBenchOptions options) {
    return options.indexSpecs().stream()
        .flatMap(spec -> options.buildThreads().stream()
            .map(threads -> (AnnSystem) new TridentSystem(spec, options.efConstruction(), threads,
                options.efValues(), options.nprobeValues())))
        .toList();
  }
}
