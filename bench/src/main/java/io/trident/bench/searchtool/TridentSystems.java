package io.trident.bench.searchtool;

import java.util.List;

/** The Trident systems of a run: one per --index spec. */
final class TridentSystems {
  private TridentSystems() {}

  static List<AnnSystem> create(SearchBenchOptions options) {
    if (!options.indexSpecs().isEmpty()) {
      throw new IllegalStateException("Trident search module not wired in yet");
    }
    return List.of();
  }
}
