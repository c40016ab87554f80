package io.trident;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The node's vector collections ({@link TridentNode#collections()}). Creating and dropping go
 * through Raft like any write and may be called on any member; {@link #collection} and {@link
 * #list} answer from this member's applied state (a collection created through another member
 * appears here once this member has applied it). Names are 1-64 of {@code [A-Za-z0-9_.-]}
 * starting with a letter or digit. Thread-safe.
 */
public interface VectorCollections {
  /**
   * Creates an empty collection; the future completes once it exists on this member.
   *
   * @throws io.trident.error.CollectionExistsException at once when this member knows the name
   *     (the future fails with it when another create won the race)
   */
  CompletableFuture<VectorCollection> create(String name, CollectionSpec spec);

  /**
   * A handle on the collection named {@code name}.
   *
   * @throws io.trident.error.UnknownCollectionException when this member knows no such collection
   */
  VectorCollection collection(String name);

  /**
   * Drops the collection and all its records; handles on it fail from then on.
   *
   * @throws io.trident.error.UnknownCollectionException at once when this member knows no such
   *     collection (the future fails with it when it was dropped meanwhile)
   */
  CompletableFuture<Void> drop(String name);

  /** The names of this member's collections, sorted. */
  List<String> list();

  /** How this member's collection indexes were recovered (loaded or rebuilt) since it opened. */
  IndexRecoveryStats indexRecoveryStats();
}
