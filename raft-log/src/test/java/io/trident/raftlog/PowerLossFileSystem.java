package io.trident.raftlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A power-loss model of one journal directory, built at the {@link CycleFileSyncer} seam: it can
 * inject sync faults, which the FUSE model ({@link FusePowerLossFileSystem}) does not (both are
 * described in raft-log/POWER_LOSS_TESTING.md). Every successful sync of a cycle file, made through
 * {@link #syncers()} (which wraps the journal's real syncer), snapshots that file into an image
 * directory; {@link #crash} puts the images back, so everything written since a file's last sync is
 * lost, as after a power cut: a cycle file never synced disappears, and a seeded random subset of
 * the unsynced 4 KiB pages may survive (torn writes). Chronicle's metadata file (*.cq4t) is not
 * modelled (kept as is).
 *
 * <p>Faults: {@link #failSyncsFrom} makes the n-th sync (counted over all files, from 1) and every
 * later one throw, as a disk that reported a writeback error. {@link #dropSync} makes the n-th sync
 * report success while the pages it should have written are lost, as when a writeback error is
 * reported to someone else (Linux reports it once per open file, then marks the pages clean): those
 * pages keep their last durable content in every later image until something rewrites them (a
 * rewritten page is written back whole by the next sync).
 *
 * <p>Images live on disk so that a child process can write them and the test JVM crash the
 * journal after killing it. Thread rules: the journal's disk thread syncs; crash only while no
 * journal is open on the directory.
 */
final class PowerLossFileSystem {
  static final int PAGE_BYTES = 4096;
  /** Room past a record that Chronicle may fill at the append point (index arrays, roll markers). */
  private static final long WRITE_SLACK_BYTES = 1L << 20;

  private final Path journal;
  private final Path images;
  private final CycleFileSyncer.Factory real;
  private final AtomicLong syncs = new AtomicLong();
  private volatile long failFromSync = Long.MAX_VALUE;
  private volatile long droppedSync = Long.MAX_VALUE;
  private final AtomicLong lostPages = new AtomicLong();

  PowerLossFileSystem(Path journal, Path images) {
    this(journal, images, GroupCommitCycleSyncer.preferredFactory());
  }

  PowerLossFileSystem(Path journal, Path images, CycleFileSyncer.Factory real) {
    this.journal = journal;
    this.images = images;
    this.real = real;
  }

  Path journal() {
    return journal;
  }

  Path images() {
    return images;
  }

  /** Syncs succeed again (the process restarted on a healthy disk). */
  void healSyncs() {
    failFromSync = Long.MAX_VALUE;
  }

  /** The factory to give the journal: the real syncer plus a snapshot at each successful sync. */
  CycleFileSyncer.Factory syncers() {
    return new CycleFileSyncer.Factory() {
      @Override
      public CycleFileSyncer open(Path cycleFile) throws IOException {
        return new SnapshottingSyncer(cycleFile, real.open(cycleFile));
      }

      @Override
      public String describe() {
        return "power-loss model over " + real.describe();
      }
    };
  }

  /** The {@code syncNumber}-th sync (1 = the next one counted from open) and all later ones fail. */
  void failSyncsFrom(long syncNumber) {
    failFromSync = syncs.get() + syncNumber;
  }

  long syncCount() {
    return syncs.get();
  }

  /** The {@code syncNumber}-th sync from now (1 = the next one) reports success and loses its pages. */
  void dropSync(long syncNumber) {
    droppedSync = syncs.get() + syncNumber;
  }

  /** Pages a dropped sync lost that no later write brought back (counted at each later sync). */
  long lostPages() {
    return lostPages.get();
  }

  /** The power cut: each cycle file goes back to its last synced image; see the class comment. */
  void crash(SplittableRandom random, double unsyncedPageKeepProbability) throws IOException {
    for (Path file : JournalBytes.cycleFiles(journal)) {
      Path image = images.resolve(file.getFileName());
      if (!Files.exists(image)) {
        Files.delete(file);
        continue;
      }
      byte[] now = Files.readAllBytes(file);
      byte[] durable = Files.readAllBytes(image);
      // Unsynced pages read back as their last synced content, or zeros past the image.
      byte[] after = Arrays.copyOf(durable, Math.max(durable.length, now.length));
      for (int page = 0; page < now.length; page += PAGE_BYTES) {
        if (unsyncedPageKeepProbability > 0 && random.nextDouble() < unsyncedPageKeepProbability) {
          System.arraycopy(now, page, after, page, Math.min(now.length, page + PAGE_BYTES) - page);
        }
      }
      Files.write(file, after);
    }
    if (!Files.isDirectory(images)) {
      return; // nothing was ever synced
    }
    try (var stale = Files.list(images)) {
      for (Path image : (Iterable<Path>) stale::iterator) {
        if (!Files.exists(journal.resolve(image.getFileName()))) {
          Files.delete(image); // pruned (deleted) files stay deleted
        }
      }
    }
  }

  /** Wraps one file's real syncer; snapshots {@code [0, extent)} of the file after each sync. */
  private final class SnapshottingSyncer implements CycleFileSyncer {
    private final Path file;
    private final CycleFileSyncer delegate;
    private long appendPosition;
    /** Bytes known to hold everything written so far; -1 until the first sync scans the file. */
    private long extent = -1;
    /** Page offset -> {content when a dropped sync lost it, durable content}. */
    private final java.util.TreeMap<Long, byte[][]> lost = new java.util.TreeMap<>();

    SnapshottingSyncer(Path file, CycleFileSyncer delegate) {
      this.file = file;
      this.delegate = delegate;
    }

    @Override
    public void sync() throws IOException {
      long number = syncs.incrementAndGet();
      if (number >= failFromSync) {
        throw new IOException("injected fdatasync failure (sync " + number + ") on " + file);
      }
      delegate.sync();
      Files.createDirectories(images);
      try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
          FileChannel out = FileChannel.open(images.resolve(file.getFileName()), StandardOpenOption.CREATE,
              StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        extent = extent < 0 ? lastNonZeroPageEnd(in) : Math.min(extent, in.size());
        if (number == droppedSync) {
          lose(in, out); // reported durable; the image does not change
          return;
        }
        long copied = 0;
        while (copied < extent) {
          copied += in.transferTo(copied, extent - copied, out.position(copied));
        }
        if (out.size() < extent) {
          out.truncate(extent);
        }
        keepLost(in, out);
      }
    }

    /** Remembers each page that differs from the image: the dropped sync lost it. */
    private void lose(FileChannel in, FileChannel out) throws IOException {
      for (long page = 0; page < extent; page += PAGE_BYTES) {
        byte[] now = readPage(in, page);
        byte[] durable = readPage(out, page);
        if (!Arrays.equals(now, durable)) {
          lost.put(page, new byte[][] {now, durable});
        }
      }
    }

    /** Puts back the durable content of lost pages nothing rewrote since; forgets rewritten ones. */
    private void keepLost(FileChannel in, FileChannel out) throws IOException {
      for (var iterator = lost.entrySet().iterator(); iterator.hasNext(); ) {
        var page = iterator.next();
        if (!Arrays.equals(readPage(in, page.getKey()), page.getValue()[0])) {
          iterator.remove(); // rewritten since: written back whole by this sync
          continue;
        }
        out.write(ByteBuffer.wrap(page.getValue()[1]), page.getKey());
      }
      lostPages.set(lost.size());
    }

    @Override
    public void prepareAhead(long appendPosition) throws IOException {
      this.appendPosition = appendPosition;
      delegate.prepareAhead(appendPosition);
    }

    @Override
    public void beforeWrite(long recordBytes) throws IOException {
      extent = Math.max(extent, appendPosition + recordBytes + WRITE_SLACK_BYTES);
      delegate.beforeWrite(recordBytes);
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }

    private byte[] readPage(FileChannel channel, long position) throws IOException {
      ByteBuffer page = ByteBuffer.allocate(PAGE_BYTES);
      while (page.hasRemaining() && channel.read(page, position + page.position()) > 0) {
        // reads past the end leave zeros
      }
      return page.array();
    }

    private long lastNonZeroPageEnd(FileChannel in) throws IOException {
      ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
      for (long from = (in.size() - 1) & -(long) chunk.capacity(); from >= 0; from -= chunk.capacity()) {
        chunk.clear();
        int read = 0;
        while (chunk.hasRemaining() && in.read(chunk, from + read) > 0) {
          read = chunk.position();
        }
        for (int i = chunk.position() - 1; i >= 0; i--) {
          if (chunk.get(i) != 0) {
            return Math.min(in.size(), (from + i + PAGE_BYTES) & -(long) PAGE_BYTES);
          }
        }
      }
      return 0;
    }
  }
}
