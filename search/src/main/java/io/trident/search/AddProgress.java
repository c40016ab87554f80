package io.trident.search;

/**
 * Receives the progress of a chunked bulk add ({@link VectorIndex#add(long[], float[],
 * AddProgress)}): called on the adding thread after each chunk is searchable, with the rows added
 * so far by this call and the call's total. It must not call back into the index being added to.
 */
@FunctionalInterface
public interface AddProgress {
  /** Progress that reports nothing. */
  AddProgress NONE = (addedRows, totalRows) -> { };

  void added(long addedRows, long totalRows);
}
