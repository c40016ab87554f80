package io.trident.raftlog;

import com.alipay.sofa.jraft.entity.codec.LogEntryDecoder;
import com.alipay.sofa.jraft.entity.codec.v2.LogEntryV2CodecFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.text.ParseException;
import java.util.stream.Stream;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The operator's way out of a {@link io.trident.error.CorruptJournalException}: cuts a journal at
 * its first bad record, dropping that record and every later one, and says how many entries that
 * drops. Run it only with the node stopped, and only once the loss is accepted: the dropped
 * entries are gone from this member, which may have helped commit them (raft-log/README.md says
 * when to rebuild the member from its peers instead).
 *
 * <p>How: the records before the bad one are copied, byte for byte, into a fresh journal next to
 * the old one (torn tails already cut and their markers are left out); the copy is fdatasync'd,
 * then the old directory is renamed to {@code DIR.corrupt-<millis>} (kept for forensics) and the
 * copy takes its name. A sound journal is left untouched; a torn tail is not corruption (the next
 * open cuts it).
 *
 * <p>Usage (documented in raft-log/README.md): {@code scripts/journal-repair.sh DIR [--dry-run]},
 * or {@code java <Trident JVM flags> -cp <classpath with trident-raft-log and its dependencies>
 * io.trident.raftlog.JournalRepair DIR [--dry-run]}. Exit status 0 when sound, repaired or
 * reported (dry run), 1 on failure, 2 on bad usage.
 */
public final class JournalRepair {

  /** What a repair found and did. */
  static final class Report {
    /** Null when the journal is sound. */
    JournalRecovery.BadRecord firstBad;
    long keptRecords;
    long droppedRecords;
    /** The log after the cut (an empty log: first = last + 1). */
    long keptFirst;
    long keptLast;
    /** Highest Raft index held by a dropped record whose header still reads; 0 when none. */
    long lastDroppedIndex;
    /** Where the original journal went; null for a dry run or a sound journal. */
    Path backup;

    /**
     * Entries past the cut that the dropped records held, counted by Raft index from the kept
     * last index to the highest index a readable dropped record names.
     */
    long droppedEntries() {
      return Math.max(0, lastDroppedIndex - keptLast);
    }
  }

  private JournalRepair() {}

  public static void main(String[] args) {
    if (args.length < 1 || args.length > 2 || (args.length == 2 && !args[1].equals("--dry-run"))) {
      System.err.println("usage: journal-repair.sh DIR [--dry-run]   (DIR: a stopped node's journal, NodeOptions.logUri)");
      System.exit(2);
    }
    try {
      Report report = repair(Path.of(args[0]), args.length == 2);
      print(Path.of(args[0]), report, System.out);
    } catch (IOException | RuntimeException e) {
      System.err.println("journal repair of " + args[0] + " failed: " + e);
      System.exit(1);
    }
  }

  /** Cuts the journal in {@code directory} at its first bad record (only reports with dryRun). */
  static Report repair(Path directory, boolean dryRun) throws IOException {
    return repair(directory, dryRun, LogEntryV2CodecFactory.getInstance().decoder());
  }

  /** As {@link #repair(Path, boolean)}, decoding configuration entries with {@code decoder}. */
  static Report repair(Path directory, boolean dryRun, LogEntryDecoder decoder) throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new IOException("no journal directory " + directory);
    }
    Report report = new Report();
    Path copy = directory.resolveSibling(directory.getFileName() + ".repairing");
    try (SingleChronicleQueue source = open(directory, null)) {
      try {
        JournalRecovery.replay(source, decoder);
        return report;
      } catch (JournalRecovery.BadRecordException e) {
        report.firstBad = e.record;
      }
      JournalRecovery.Result kept = JournalRecovery.replay(source, decoder, report.firstBad.recordIndex);
      report.keptFirst = kept.state.first();
      report.keptLast = kept.state.last();
      if (dryRun) {
        copyAndCount(source, report, null);
        return report;
      }
      deleteRecursively(copy);
      try (SingleChronicleQueue target = open(copy, source)) {
        copyAndCount(source, report, target);
      }
    }
    syncTree(copy);
    report.backup = directory.resolveSibling(directory.getFileName() + ".corrupt-" + System.currentTimeMillis());
    Files.move(directory, report.backup);
    Files.move(copy, directory);
    CycleFiles.syncDirectory(directory.toAbsolutePath().getParent());
    return report;
  }

  static void print(Path directory, Report report, PrintStream out) {
    if (report.firstBad == null) {
      out.println("journal " + directory + " is sound: nothing to repair");
      return;
    }
    JournalRecovery.BadRecord bad = report.firstBad;
    boolean done = report.backup != null;
    out.println("first bad record: " + bad.file + " offset " + bad.offset + ": " + bad.problem);
    out.println((done ? "cut: the log is now [" : "a cut would leave the log [") + report.keptFirst + ", "
        + report.keptLast + "] (" + report.keptRecords + " records kept)");
    out.println((done ? "dropped " : "would drop ") + report.droppedRecords + " records holding entries up to index "
        + report.lastDroppedIndex + ": " + report.droppedEntries() + " entries after index " + report.keptLast);
    if (done) {
      out.println("the original journal is kept in " + report.backup);
    } else {
      out.println("dry run: nothing changed; run again without --dry-run to cut");
    }
  }

  /**
   * Visits every record of every cycle file, including cycles Chronicle cannot reach by reading
   * on (a cycle that lost its end marker hides the ones after it): copies the valid records before
   * the bad one into {@code target} (when not null), counts the rest.
   */
  private static void copyAndCount(SingleChronicleQueue source, Report report, SingleChronicleQueue target) {
    long badIndex = report.firstBad.recordIndex;
    try (ExcerptTailer tailer = source.createTailer();
        ExcerptAppender appender = target == null ? null : target.createAppender()) {
      long lastRead = -1;
      for (int cycle = source.firstCycle(); cycle >= 0 && cycle <= source.lastCycle(); cycle = nextCycle(source, cycle)) {
        if (lastRead >= 0 && source.rollCycle().toCycle(lastRead) >= cycle) {
          continue; // already read through its end marker
        }
        try {
          lastRead = copyCycle(source, tailer, cycle, lastRead, report, appender);
        } catch (RuntimeException | AssertionError unreadable) {
          // Reading on through an end marker may have taken the tailer into a later cycle.
          int failedCycle = Math.max(cycle, tailer.cycle());
          if (failedCycle < source.rollCycle().toCycle(badIndex)) {
            throw unreadable;
          }
          // A torn last cycle whose index pages were lost (JournalEndCheck): its rest is dropped.
          report.droppedRecords++;
          if (failedCycle >= source.lastCycle()) {
            break;
          }
        }
      }
    }
  }

  /** Copies or counts the records of {@code cycle}; returns the last index read. */
  private static long copyCycle(SingleChronicleQueue source, ExcerptTailer tailer, int cycle, long lastRead,
      Report report, ExcerptAppender appender) {
    if (!tailer.moveToCycle(cycle)) {
      return lastRead; // empty
    }
    while (true) {
      try (DocumentContext document = tailer.readingDocument()) {
        if (!document.isPresent()) {
          break;
        }
        lastRead = document.index();
        visit(document, report.firstBad.recordIndex, report, appender);
      }
    }
    return countPastHole(source, tailer, tailer.cycle(), lastRead, report);
  }

  /**
   * Reading on stops at a lost record header; the cycle's index may still find the records after
   * it, which are dropped (the hole itself counts as one dropped record). Returns the last index read.
   */
  private static long countPastHole(SingleChronicleQueue source, ExcerptTailer tailer, int cycle, long lastRead,
      Report report) {
    long records = tailer.excerptsInCycle(cycle);
    long next = lastRead >= 0 && source.rollCycle().toCycle(lastRead) == cycle
        ? source.rollCycle().toSequenceNumber(lastRead) + 1 : 0;
    for (long sequence = next; sequence < records; sequence++) {
      long index = source.rollCycle().toIndex(cycle, sequence);
      if (!tailer.moveToIndex(index)) {
        report.droppedRecords++;
        continue;
      }
      try (DocumentContext document = tailer.readingDocument()) {
        if (document.isPresent() && document.index() == index) {
          visit(document, report.firstBad.recordIndex, report, null);
          lastRead = index;
        } else {
          report.droppedRecords++;
        }
      }
    }
    return lastRead;
  }

  private static void visit(DocumentContext document, long badIndex, Report report, ExcerptAppender appender) {
    Bytes<?> bytes = document.wire().bytes();
    long start = bytes.readPosition();
    long length = bytes.readRemaining();
    boolean valid = LogRecordCodec.validate(bytes, start, length) == null;
    byte type = valid ? LogRecordCodec.recordType(bytes, start) : 0;
    if (document.index() >= badIndex) {
      report.droppedRecords++;
      if (type == LogRecordCodec.BATCH || type == LogRecordCodec.RESET) {
        long last = LogRecordCodec.raftIndex(bytes, start) + LogRecordCodec.entryCount(bytes, start) - 1;
        report.lastDroppedIndex = Math.max(report.lastDroppedIndex, last);
      }
      return;
    }
    if (!valid || type == LogRecordCodec.TORN_TAIL) {
      return; // a torn tail cut earlier, and its marker
    }
    report.keptRecords++;
    if (appender != null) {
      byte[] record = new byte[(int) length];
      bytes.read(start, record, 0, record.length);
      try (DocumentContext out = appender.writingDocument()) {
        out.wire().bytes().write(record);
      }
    }
  }

  /** The next cycle holding a file after {@code cycle}, or -1. */
  private static int nextCycle(SingleChronicleQueue queue, int cycle) {
    try {
      return queue.nextCycle(cycle, TailerDirection.FORWARD);
    } catch (ParseException e) {
      throw new IllegalStateException("cannot list the cycle files after cycle " + cycle, e);
    }
  }

  private static SingleChronicleQueue open(Path directory, SingleChronicleQueue like) {
    SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(directory).timeoutMS(500);
    if (like != null) {
      builder.rollCycle(like.rollCycle());
    }
    return builder.build();
  }

  /** fdatasync of every file in {@code directory}, then of the directory. */
  private static void syncTree(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
          channel.force(false);
        }
      }
    }
    CycleFiles.syncDirectory(directory);
  }

  static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path path : (Iterable<Path>) files.sorted((a, b) -> b.compareTo(a))::iterator) {
        Files.delete(path);
      }
    }
  }
}
