package io.trident.raftlog;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.impl.RollingResourcesCache;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's Chronicle cycle files, found by listing the directory and named as Chronicle
 * names them (roll cycle format and epoch, ".cq4"): the syncs that recovery and a roll need, and
 * the deletion of whole cycles once no live entry or marker needs them. (Chronicle's
 * StoreFileListener is not used: it reports files from a background thread, so a listener's view
 * can lag the directory.)
 *
 * <p>Thread rules: the disk thread only (and {@link ChronicleLogStorage#init}).
 */
final class CycleFiles {
  private static final Logger LOG = LoggerFactory.getLogger(CycleFiles.class);

  private final Path directory;
  private final RollingResourcesCache names;
  private long deletedFiles;

  CycleFiles(SingleChronicleQueue queue) {
    this.directory = queue.file().toPath();
    this.names = namesOf(queue);
  }

  /** Path of {@code cycle}'s file in {@code queue}'s directory (it may not exist). */
  static Path fileOf(SingleChronicleQueue queue, int cycle) {
    return namesOf(queue).resourceFor(cycle).path.toPath();
  }

  private static RollingResourcesCache namesOf(SingleChronicleQueue queue) {
    return new RollingResourcesCache(queue.rollCycle(), queue.epoch(),
        name -> new File(queue.file(), name + SingleChronicleQueue.SUFFIX), File::getName);
  }

  /** The cycle files now in the directory, by cycle; files whose names are not cycles are skipped. */
  NavigableMap<Integer, Path> list() throws IOException {
    NavigableMap<Integer, Path> files = new TreeMap<>();
    try (Stream<Path> entries = Files.list(directory)) {
      for (Path file : (Iterable<Path>) entries::iterator) {
        String name = file.getFileName().toString();
        if (!name.endsWith(SingleChronicleQueue.SUFFIX) || !Files.isRegularFile(file)) {
          continue;
        }
        try {
          files.put(names.parseCount(name.substring(0, name.length() - SingleChronicleQueue.SUFFIX.length())), file);
        } catch (RuntimeException notACycle) {
          LOG.warn("Journal {}: {} is not a cycle file name; left alone", directory, name);
        }
      }
    }
    return files;
  }

  /** Deletes every cycle file older than {@code firstCycleKept}; returns how many went. */
  int deleteCyclesBefore(int firstCycleKept) throws IOException {
    int deleted = 0;
    for (Map.Entry<Integer, Path> cycle : list().headMap(firstCycleKept, false).entrySet()) {
      try {
        Files.delete(cycle.getValue());
        deleted++;
      } catch (NoSuchFileException alreadyGone) {
        LOG.debug("cycle file {} already deleted", cycle.getValue());
      }
    }
    if (deleted > 0) {
      syncDirectory();
      deletedFiles += deleted;
    }
    return deleted;
  }

  /** The newest cycle file older than {@code cycle}, or null. */
  Path fileBefore(int cycle) throws IOException {
    Map.Entry<Integer, Path> previous = list().lowerEntry(cycle);
    return previous == null ? null : previous.getValue();
  }

  /**
   * Makes everything now in the journal directory durable, as recovery must before it publishes
   * the log it replayed (those records may have reached only the page cache before a crash): an
   * fdatasync of every regular file through {@code syncers}, the journal's one sync path, then an
   * fsync of the directory and of its parent (which holds the journal directory's own entry, new
   * when this open created it). Returns how many files were synced.
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
    Path parent = directory.toAbsolutePath().getParent();
    if (parent != null) {
      syncDirectory(parent);
    }
    return synced;
  }

  long deletedFiles() {
    return deletedFiles;
  }

  /** fsync of the journal directory: makes file creations and deletions durable. */
  void syncDirectory() throws IOException {
    syncDirectory(directory);
  }

  /** fsync of {@code directory}: makes creations, renames and deletions in it durable. */
  static void syncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
