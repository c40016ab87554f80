package io.trident.internal.node;

import io.trident.CollectionSpec;
import io.trident.IndexRecoveryStats;
import io.trident.VectorCollection;
import io.trident.VectorCollections;
import io.trident.error.CollectionExistsException;
import io.trident.error.InvalidArgumentException;
import io.trident.error.UnknownCollectionException;
import io.trident.internal.collection.CollectionIndex;
import io.trident.internal.collection.SpecCodec;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * {@link VectorCollections} of a {@link ReplicatedNode}: checks arguments before anything is
 * queued, sends creates and drops through the batcher like any write, and answers lookups from
 * the {@link CollectionRegistry}. A create completes once this member has applied it (so the
 * handle it returns works here at once), whichever member led.
 */
final class ReplicatedCollections implements VectorCollections {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private final NodeServices services;

  ReplicatedCollections(NodeServices services) {
    this.services = services;
  }

  @Override
  public CompletableFuture<VectorCollection> create(String name, CollectionSpec spec) {
    services.checkOpen();
    checkName(name);
    if (spec == null) {
      throw new InvalidArgumentException("collection spec is null");
    }
    if (services.registry.byName(name) != null) {
      throw new CollectionExistsException("collection " + name + " already exists");
    }
    CompletableFuture<Long> created = services.batcher.submit(
        new CollectionWrites.Create(name, SpecCodec.encode(spec)));
    return created.thenCompose(collectionId -> services.within(
        services.watermark.whenIndexed(CollectionCatalogue.createdAt(collectionId)),
        "waiting for this member to apply the create of " + name)
        .thenApply(applied -> handle(name, collectionId)));
  }

  @Override
  public VectorCollection collection(String name) {
    services.checkOpen();
    checkName(name);
    CollectionIndex index = services.registry.byName(name);
    if (index == null) {
      throw unknown(name);
    }
    return new ReplicatedVectorCollection(services, index);
  }

  @Override
  public CompletableFuture<Void> drop(String name) {
    services.checkOpen();
    checkName(name);
    if (services.registry.byName(name) == null) {
      throw unknown(name);
    }
    return services.batcher.submit(new CollectionWrites.Drop(name));
  }

  @Override
  public List<String> list() {
    services.checkOpen();
    return services.registry.names();
  }

  @Override
  public IndexRecoveryStats indexRecoveryStats() {
    return services.registry.stats();
  }

  private VectorCollection handle(String name, long collectionId) {
    CollectionIndex index = services.registry.byId(collectionId);
    if (index == null) {
      throw new UnknownCollectionException("collection " + name + " was dropped right after"
          + " it was created");
    }
    return new ReplicatedVectorCollection(services, index);
  }

  private UnknownCollectionException unknown(String name) {
    return new UnknownCollectionException("no collection named " + name + " on member "
        + services.options.self() + " (it has " + services.registry.names() + ")");
  }

  private static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidArgumentException("collection name must be 1-64 of [A-Za-z0-9_.-]"
          + " starting with a letter or digit, was "
          + (name == null ? "null" : "\"" + name + "\""));
    }
  }
}
