package io.trident.raftlog;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.impl.StoreFileListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows the journal's Chronicle cycle files (Chronicle reports each file it opens) and deletes
 * whole cycles once no live entry or marker needs them.
 *
 * <p>Thread rules: Chronicle calls the listener from whichever thread opens a store; deletion runs
 * on the disk thread under the storage's write lock.
 */
final class CycleFiles implements StoreFileListener {
  private static final Logger LOG = LoggerFactory.getLogger(CycleFiles.class);

  private final Path directory;
  private final ConcurrentSkipListMap<Integer, File> filesByCycle = new ConcurrentSkipListMap<>();
  private long deletedFiles;

  CycleFiles(Path directory) {
    this.directory = directory;
  }

  @Override
  public void onAcquired(int cycle, File file) {
    filesByCycle.put(cycle, file);
  }

  @Override
  public void onReleased(int cycle, File file) {
    // Files stay known until pruned; release only unmaps them.
  }

  /** Deletes every cycle file older than {@code firstCycleKept}; returns how many went. */
  int deleteCyclesBefore(int firstCycleKept) throws IOException {
    int deleted = 0;
    Map<Integer, File> older = filesByCycle.headMap(firstCycleKept, false);
    for (Map.Entry<Integer, File> cycle : older.entrySet()) {
      try {
        Files.delete(cycle.getValue().toPath());
        deleted++;
      } catch (NoSuchFileException alreadyGone) {
        LOG.debug("cycle file {} already deleted", cycle.getValue());
      }
      filesByCycle.remove(cycle.getKey());
    }
    if (deleted > 0) {
      syncDirectory();
      deletedFiles += deleted;
    }
    return deleted;
  }

  /** The newest known cycle file older than {@code cycle}, or null. */
  Path fileBefore(int cycle) {
    Map.Entry<Integer, File> previous = filesByCycle.lowerEntry(cycle);
    return previous == null ? null : previous.getValue().toPath();
  }

  /** The path of {@code cycle}'s file for messages, or a placeholder when Chronicle never reported it. */
  String describeCycle(int cycle) {
    File file = filesByCycle.get(cycle);
    return file == null ? directory + " (cycle " + cycle + ")" : file.toString();
  }

  /**
   * Makes everything now in the journal directory durable, as recovery must before it publishes
   * the log it replayed (those records may have reached only the page cache before a crash): an
   * fdatasync of every regular file through {@code syncers}, the journal's one sync path, then an
   * fsync of the directory. Returns how many files were synced.
   */
  int makeDurable(CycleFileSyncer.Factory syncers) throws IOException {
    int synced = 0;
    try (Stream<Path> entries = Files.list(directory)) {
      for (Path file : (Iterable<Path>) entries.filter(Files::isRegularFile).sorted()::iterator) {
        try (CycleFileSyncer syncer = syncers.open(file)) {
          syncer.sync();
        }
        synced++;
      }
    }
    syncDirectory();
    return synced;
  }

  long deletedFiles() {
    return deletedFiles;
  }

  /** fsync of the journal directory: makes file creations and deletions durable. */
  void syncDirectory() throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
