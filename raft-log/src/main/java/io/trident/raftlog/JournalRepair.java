package io.trident.raftlog;

import com.alipay.sofa.jraft.entity.codec.LogEntryDecoder;
import com.alipay.sofa.jraft.entity.codec.v2.LogEntryV2CodecFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The operator's way out of a {@link io.trident.error.CorruptJournalException}: cuts a journal at
 * its first bad record, dropping that record and every later one, and says how many entries that
 * drops. Run it only with the node stopped, and only once the loss is accepted (on a Raft
 * follower the leader re-sends what was dropped; on a lone node it is gone).
 *
 * <p>How: the records before the bad one are copied, byte for byte, into a fresh journal next to
 * the old one (torn tails already cut and their markers are left out); the copy is fdatasync'd,
 * then the old directory is renamed to {@code DIR.corrupt-<millis>} (kept for forensics) and the
 * copy takes its name. A sound journal is left untouched.
 *
 * <p>Usage: {@code scripts/journal-repair.sh DIR [--dry-run]}; exit status 0 when sound or
 * repaired, 1 on failure, 2 on bad usage.
 */
public final class JournalRepair {

  /** What a repair found and did. */
  static final class Report {
    /** Null when the journal is sound. */
    JournalRecovery.BadRecord firstBad;
    long keptRecords;
    long droppedRecords;
    /** Entries in the valid BATCH and RESET records dropped (the bad record's own are unknown). */
    long droppedEntries;
    long keptFirst;
    long keptLast;
    /** Where the original journal went; null for a dry run or a sound journal. */
    Path backup;
  }

  private JournalRepair() {}

  public static void main(String[] args) {
    if (args.length < 1 || args.length > 2 || (args.length == 2 && !args[1].equals("--dry-run"))) {
      System.err.println("usage: journal-repair.sh DIR [--dry-run]");
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
    if (!Files.isDirectory(directory)) {
      throw new IOException("no journal directory " + directory);
    }
    Report report = new Report();
    LogEntryDecoder decoder = LogEntryV2CodecFactory.getInstance().decoder();
    Path copy = directory.resolveSibling(directory.getFileName() + ".repairing");
    CycleFiles names = new CycleFiles(directory);
    try (SingleChronicleQueue source = open(directory, names, null)) {
      try {
        JournalRecovery.replay(source, decoder, names::describeCycle);
        return report; // sound (a torn tail is cut by the next open)
      } catch (JournalRecovery.BadRecordException e) {
        report.firstBad = e.record;
      }
      if (dryRun) {
        countDropped(source, report, null);
        return report;
      }
      deleteRecursively(copy);
      try (SingleChronicleQueue target = open(copy, new CycleFiles(copy), source)) {
        countDropped(source, report, target);
        JournalRecovery.Result kept = JournalRecovery.replay(target, decoder, String::valueOf);
        report.keptFirst = kept.state.first();
        report.keptLast = kept.state.last();
      }
    }
    syncTree(copy);
    report.backup = directory.resolveSibling(directory.getFileName() + ".corrupt-" + System.currentTimeMillis());
    Files.move(directory, report.backup);
    Files.move(copy, directory);
    new CycleFiles(directory.toAbsolutePath().getParent()).syncDirectory();
    return report;
  }

  static void print(Path directory, Report report, PrintStream out) {
    if (report.firstBad == null) {
      out.println("journal " + directory + " is sound: nothing to repair");
      return;
    }
    JournalRecovery.BadRecord bad = report.firstBad;
    out.println("first bad record: " + bad.file + " offset " + bad.offset + ": " + bad.problem);
    out.println((report.backup == null ? "would drop " : "dropped ") + report.droppedRecords + " records holding "
        + report.droppedEntries + " entries (plus whatever the bad record held); kept " + report.keptRecords
        + " records" + (report.backup == null ? "" : ", log [" + report.keptFirst + ", " + report.keptLast + "]"));
    if (report.backup != null) {
      out.println("the original journal is kept in " + report.backup);
    }
  }

  /** Copies records before the bad one into {@code target} (when not null); counts the rest. */
  private static void countDropped(SingleChronicleQueue source, Report report, SingleChronicleQueue target) {
    long badIndex = report.firstBad.recordIndex;
    try (ExcerptTailer tailer = source.createTailer();
        ExcerptAppender appender = target == null ? null : target.createAppender()) {
      tailer.toStart();
      while (true) {
        try (DocumentContext document = tailer.readingDocument()) {
          if (!document.isPresent()) {
            return;
          }
          Bytes<?> bytes = document.wire().bytes();
          long start = bytes.readPosition();
          long length = bytes.readRemaining();
          boolean valid = LogRecordCodec.validate(bytes, start, length) == null;
          if (document.index() >= badIndex) {
            report.droppedRecords++;
            byte type = valid ? LogRecordCodec.recordType(bytes, start) : 0;
            if (type == LogRecordCodec.BATCH || type == LogRecordCodec.RESET) {
              report.droppedEntries += LogRecordCodec.entryCount(bytes, start);
            }
          } else if (valid && LogRecordCodec.recordType(bytes, start) != LogRecordCodec.TORN_TAIL) {
            report.keptRecords++;
            if (appender != null) {
              byte[] record = new byte[(int) length];
              bytes.read(start, record, 0, record.length);
              try (DocumentContext out = appender.writingDocument()) {
                out.wire().bytes().write(record);
              }
            }
          }
        }
      }
    }
  }

  private static SingleChronicleQueue open(Path directory, CycleFiles listener, SingleChronicleQueue like) {
    SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(directory).timeoutMS(500)
        .storeFileListener(listener);
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
    new CycleFiles(directory).syncDirectory();
  }

  private static void deleteRecursively(Path directory) throws IOException {
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
