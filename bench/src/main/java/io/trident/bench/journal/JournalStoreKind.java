package io.trident.bench.journal;

import io.trident.nativelib.ThreadPlacement;
import java.nio.file.Path;
import java.util.Locale;

/** The journals the benchmark compares, by command-line name. */
enum JournalStoreKind {
  /** Trident's ChronicleLogStorage (Chronicle Queue + one fdatasync per batch). */
  CHRONICLE,
  /** jraft's own RocksDBLogStorage with sync on: one synced WriteBatch per appendEntries. */
  ROCKSDB,
  /** The disk's limit: the batch's bytes written and made durable, no log structure at all. */
  RAW;

  /** Opens a fresh store of this kind in an empty directory. */
  JournalStore open(Path directory) {
    return open(directory, ThreadPlacement.NONE);
  }

  /** As above; Chronicle's own background (zeroing) thread is placed with {@code placement}. */
  JournalStore open(Path directory, ThreadPlacement placement) {
    switch (this) {
      case CHRONICLE:
        return LogStorageJournalStore.chronicle(directory, placement);
      case ROCKSDB:
        return LogStorageJournalStore.rocksDb(directory);
      case RAW:
        return RawJournalStores.open(directory);
      default:
        throw new AssertionError(this);
    }
  }

  String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static JournalStoreKind parse(String text) {
    for (JournalStoreKind kind : values()) {
      if (kind.cliName().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown storage '" + text
        + "': expected chronicle, rocksdb or raw");
  }
}
