package io.trident.raftlog;

import static io.trident.raftlog.TestEntries.assertSameEntry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.alipay.sofa.jraft.conf.ConfigurationManager;
import com.alipay.sofa.jraft.entity.EnumOutter.EntryType;
import com.alipay.sofa.jraft.entity.codec.v2.LogEntryV2CodecFactory;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM ({@link CrashAppenderProcess}) with SIGKILL at random moments while it appends
 * and truncates, then reopens the journal and checks: every acknowledged entry is present and
 * byte-identical, the batch in flight is there whole or not at all, nothing past an acknowledged
 * suffix truncation comes back, and a reset is all or nothing. Replay a run with {@code -Dtrident.crash.seed=N}.
 */
class ChronicleLogStorageCrashTest {
  private static final int ROUNDS = 6;
  private static final int POWER_LOSS_ROUNDS = 4;
  private static final double UNSYNCED_PAGE_KEEP_PROBABILITY = 0.5;
  private static final long TERM_BASE_PER_ROUND = 1_000_000;

  @TempDir Path tempDir;

  @Test
  void acknowledgedEntriesSurviveKillNine() throws Exception {
    runRounds(ROUNDS, tempDir.resolve("journal"), null, null);
  }

  /**
   * The same with a power cut after each kill ({@link PowerLossFileSystem}: unsynced data lost,
   * half of the unsynced pages kept at random, so torn tails appear).
   */
  @Test
  void acknowledgedEntriesSurvivePowerLoss() throws Exception {
    Path journal = tempDir.resolve("journal");
    runRounds(POWER_LOSS_ROUNDS, journal, new PowerLossFileSystem(journal, tempDir.resolve("durable-images")), null);
  }

  /**
   * The same on {@link FusePowerLossFileSystem}, below the page cache: the kill leaves the child's
   * unsynced mmap stores in the page cache, the reopen (recovery) publishes what it finds there,
   * and the power cut after it drops whatever was not fdatasync'd (half the pages kept at random).
   * What a reopen published counts as acknowledged in the next round.
   */
  @Test
  void acknowledgedEntriesSurvivePowerLossOnFuse() throws Exception {
    try (FusePowerLossFileSystem fuse = FusePowerLossFileSystem.mount(tempDir.resolve("mnt"), tempDir.resolve("fuse"))) {
      runRounds(POWER_LOSS_ROUNDS, fuse.root().resolve("journal"), null, fuse);
    }
  }

  /**
   * {@code rounds} child runs killed at random times; with a power cut after each kill at the sync
   * seam ({@code seam}) or on FUSE ({@code fuse}), kill -9 only when both are null.
   */
  private void runRounds(int rounds, Path journal, PowerLossFileSystem seam, FusePowerLossFileSystem fuse)
      throws Exception {
    long seed = Long.getLong("trident.crash.seed", System.nanoTime());
    boolean powerLoss = seam != null || fuse != null;
    System.out.println("ChronicleLogStorageCrashTest seed=" + seed + " powerLoss=" + (seam != null ? "seam" : fuse != null
        ? "fuse" : "none") + " (replay: -Dtrident.crash.seed=" + seed + ")");
    SplittableRandom random = new SplittableRandom(seed);
    JournalModel model = new JournalModel();
    for (int round = 1; round <= rounds; round++) {
      long killAfterMillis = 300 + random.nextInt(1200);
      List<String> lines = runAndKill(journal, seed, round * TERM_BASE_PER_ROUND, killAfterMillis, round, seam);
      ChildLog childLog = ChildLog.parse(lines, model);
      String context = "seed=" + seed + " round=" + round + " killAfterMillis=" + killAfterMillis;
      if (seam != null) {
        seam.crash(random, UNSYNCED_PAGE_KEEP_PROBABILITY);
      }
      // On FUSE the cut comes before the reopen or after it, seeded: after it, the reopen has
      // published what it found in the page cache, which must then survive the cut.
      boolean cutAfterReopen = fuse != null && random.nextBoolean();
      if (fuse != null && !cutAfterReopen) {
        fuse.crashAndRemount(random.nextLong(), UNSYNCED_PAGE_KEEP_PROBABILITY);
      }
      verifyAndAdopt(journal, seed, childLog, model, context, seam, powerLoss);
      if (cutAfterReopen) {
        fuse.crashAndRemount(random.nextLong(), UNSYNCED_PAGE_KEEP_PROBABILITY);
        verifyAndAdopt(journal, seed, ChildLog.parse(List.of(), model), model,
            context + " (power cut after the reopen published the log)", null, true);
      }
      System.out.println(context + ": acknowledged " + childLog.acknowledgedCalls + ", log=["
          + model.first + ", " + model.last + "]");
      assertTrue(childLog.acknowledgedAppends > 0, "child acknowledged nothing: " + context);
    }
  }

  @Test
  void documentLeftOpenByDeadWriterIsRecovered() throws Exception {
    long seed = 99;
    Path journal = tempDir.resolve("torn");
    List<String> command = childCommand(TornDocumentProcess.class, journal.toString(), Long.toString(seed));
    File stdout = tempDir.resolve("torn.stdout").toFile();
    Process child = new ProcessBuilder(command).redirectOutput(stdout).redirectErrorStream(true).start();
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "torn-document child did not finish");
    assertTrue(Files.readString(stdout.toPath()).contains("HALTING INSIDE DOCUMENT"), Files.readString(stdout.toPath()));

    int entries = TornDocumentProcess.ENTRIES_WRITTEN;
    ChronicleLogStorage storage = openForCheck(journal, RollCycles.FIVE_MINUTELY, null);
    try {
      assertEquals(entries, storage.getLastLogIndex());
      long appendStartNanos = System.nanoTime();
      assertEquals(10, storage.appendEntries(TestEntries.batch(entries + 1, 10, 2, seed)));
      System.out.println("first append after a dead writer's open document took "
          + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - appendStartNanos) + " ms");
    } finally {
      storage.shutdown();
    }
    storage = openForCheck(journal, RollCycles.FIVE_MINUTELY, null);
    try {
      assertEquals(entries + 10, storage.getLastLogIndex());
      for (long index = 1; index <= entries + 10; index++) {
        assertSameEntry(TestEntries.data(index, index <= entries ? 1 : 2, seed), storage.getEntry(index));
      }
    } finally {
      storage.shutdown();
    }
  }

  private static ChronicleLogStorage openForCheck(Path journal, RollCycle rollCycle, PowerLossFileSystem powerLoss) {
    ChronicleLogStorage storage = powerLoss == null ? new ChronicleLogStorage(journal, rollCycle)
        : new ChronicleLogStorage(journal, rollCycle, powerLoss.syncers());
    LogStorageOptions options = new LogStorageOptions();
    options.setConfigurationManager(new ConfigurationManager());
    options.setLogEntryCodecFactory(LogEntryV2CodecFactory.getInstance());
    assertTrue(storage.init(options), "init " + journal);
    return storage;
  }

  /** The same java, JVM flags and classpath as this test JVM, running {@code main} with {@code args}. */
  static List<String> childCommand(Class<?> main, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    return command;
  }

  /**
   * Runs one child and kills it {@code killAfterMillis} after its first acknowledged append (so
   * every round tests something however loaded the machine is; bounded by 60 s). Its stdout goes
   * to a file, not a pipe: a pipe's unread tail can be lost when the JDK closes it on exit.
   */
  private List<String> runAndKill(Path journal, long seed, long termBase, long killAfterMillis, int round,
      PowerLossFileSystem powerLoss) throws IOException, InterruptedException {
    List<String> command = childCommand(CrashAppenderProcess.class, journal.toString(), Long.toString(seed),
        Long.toString(termBase), powerLoss == null ? "" : powerLoss.images().toString());
    File stdout = tempDir.resolve("child-" + round + ".stdout").toFile();
    File stderr = tempDir.resolve("child-" + round + ".stderr").toFile();
    Process child = new ProcessBuilder(command).redirectOutput(stdout).redirectError(stderr).start();
    long ackDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(stdout.toPath(), StandardCharsets.UTF_8).contains("\nA ") && child.isAlive()
        && System.nanoTime() < ackDeadline) {
      Thread.sleep(10);
    }
    Thread.sleep(killAfterMillis);
    child.destroyForcibly();
    assertTrue(child.waitFor(10, TimeUnit.SECONDS), "child did not die");
    List<String> lines = Files.readAllLines(stdout.toPath(), StandardCharsets.UTF_8);
    if (lines.isEmpty() || !lines.get(0).startsWith("OPEN")) {
      fail("child never opened the journal; stderr in " + stderr + ", exit " + child.exitValue());
    }
    return lines;
  }

  /** Checks the reopened journal against what the child acknowledged, then adopts its contents. */
  private static void verifyAndAdopt(Path journal, long seed, ChildLog childLog, JournalModel model,
      String context, PowerLossFileSystem seam, boolean powerLoss) {
    ChronicleLogStorage storage = openForCheck(journal, TestRollCycles.TEST_SECONDLY, seam);
    try {
      long first = storage.getFirstLogIndex();
      long last = storage.getLastLogIndex();
      JournalModel acknowledged = childLog.acknowledged;
      PendingCall pending = childLog.pending;
      if (pending != null && pending.tookEffect(first, last)) {
        childLog.acknowledgePending();
      }
      assertEquals(acknowledged.first, first, "first index; pending " + pending + "; " + context);
      assertEquals(acknowledged.last, last, "last index (batch must be whole or absent); pending " + pending
          + "; " + context);
      for (long index = first; index <= last; index++) {
        Long term = acknowledged.terms.get(index);
        assertTrue(term != null, "no expected term for " + index + "; " + context);
        if (term == JournalModel.NO_OP_TERM) {
          assertEquals(EntryType.ENTRY_TYPE_NO_OP, storage.getEntry(index).getType(), "reset entry; " + context);
        } else {
          assertSameEntry(TestEntries.data(index, term, seed), storage.getEntry(index));
        }
      }
      assertEquals(null, storage.getEntry(last + 1), context);
      if (!powerLoss) {
        assertEquals(0, storage.corruptRecordsAtOpen(), "kill -9 leaves no torn records; " + context);
      }
      model.copyFrom(acknowledged);
    } finally {
      storage.shutdown();
    }
  }

  /** Expected log: [first, last] and the term of each live index. */
  static final class JournalModel {
    /** Marks the term-0 no-op entry a reset to a missing index leaves. */
    static final long NO_OP_TERM = -1;

    long first = 1;
    long last = 0;
    final Map<Long, Long> terms = new HashMap<>();

    void truncateSuffix(long lastKept) {
      for (long index = lastKept + 1; index <= last; index++) {
        terms.remove(index);
      }
      last = Math.min(last, Math.max(lastKept, first - 1));
    }

    void truncatePrefix(long firstKept) {
      for (long index = first; index < firstKept; index++) {
        terms.remove(index);
      }
      first = Math.max(first, firstKept);
      last = Math.max(last, first - 1);
    }

    void reset(long next) {
      terms.clear();
      terms.put(next, NO_OP_TERM);
      first = next;
      last = next;
    }

    void copyFrom(JournalModel other) {
      first = other.first;
      last = other.last;
      terms.clear();
      terms.putAll(other.terms);
    }
  }

  /** A call the child announced but did not acknowledge before it died. */
  static final class PendingCall {
    final char kind;
    final long first;
    final long last;
    final long term;

    PendingCall(char kind, long first, long last, long term) {
      this.kind = kind;
      this.first = first;
      this.last = last;
      this.term = term;
    }

    /** Whether the reopened log shows this call's effect (a call is all or nothing). */
    boolean tookEffect(long logFirst, long logLast) {
      switch (kind) {
        case 'W':
          return logLast == last;
        case 'S':
          return logLast == first;
        case 'R':
          return logFirst == first && logLast == first;
        default:
          return logFirst == first;
      }
    }

    @Override
    public String toString() {
      return kind + "[" + first + ", " + last + "] term " + term;
    }
  }

  /** The child's output replayed onto the model of the previous round. */
  static final class ChildLog {
    final JournalModel acknowledged = new JournalModel();
    PendingCall pending;
    long acknowledgedAppends;
    /** Acknowledged calls by kind: W append, S suffix, P prefix, R reset. */
    final Map<Character, Integer> acknowledgedCalls = new TreeMap<>();

    static ChildLog parse(List<String> lines, JournalModel before) {
      ChildLog log = new ChildLog();
      log.acknowledged.copyFrom(before);
      for (String line : lines) {
        String[] parts = line.trim().split(" ");
        try {
          log.apply(parts);
        } catch (RuntimeException malformed) {
          // The last line may be cut off by the kill.
        }
      }
      return log;
    }

    void acknowledgePending() {
      acknowledgedCalls.merge(pending.kind, 1, Integer::sum);
      switch (pending.kind) {
        case 'W':
          if (acknowledged.last < acknowledged.first) {
            acknowledged.first = pending.first;
          }
          for (long index = pending.first; index <= pending.last; index++) {
            acknowledged.terms.put(index, pending.term);
          }
          acknowledged.last = pending.last;
          acknowledgedAppends++;
          break;
        case 'S':
          acknowledged.truncateSuffix(pending.first);
          break;
        case 'R':
          acknowledged.reset(pending.first);
          break;
        default:
          acknowledged.truncatePrefix(pending.first);
          break;
      }
      pending = null;
    }

    private void apply(String[] parts) {
      switch (parts[0]) {
        case "OPEN":
          assertEquals(acknowledged.first, Long.parseLong(parts[1]), "child opened at a different first");
          assertEquals(acknowledged.last, Long.parseLong(parts[2]), "child opened at a different last");
          break;
        case "W":
          pending = new PendingCall('W', Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3]));
          break;
        case "A":
        case "T":
        case "Q":
        case "Z":
          acknowledgePending();
          break;
        case "S":
        case "P":
        case "R":
          long index = Long.parseLong(parts[1]);
          pending = new PendingCall(parts[0].charAt(0), index, index, 0);
          break;
        default:
          throw new IllegalArgumentException(String.join(" ", parts));
      }
    }
  }
}
