package io.trident.raftlog;

import com.alipay.sofa.jraft.conf.ConfigurationManager;
import com.alipay.sofa.jraft.entity.codec.v2.LogEntryV2CodecFactory;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

/**
 * Child process of {@link ChronicleLogStorageCrashTest}: appends random batches (and now and then
 * truncates) until it is killed, printing each intent before the call and each acknowledgement
 * after it returns:
 *
 * <pre>
 *   OPEN first last          after init
 *   W first last term        about to append [first, last] with term
 *   A last                   appendEntries returned
 *   S lastKept / T lastKept  about to truncate the suffix / done
 *   P firstKept / Q firstKept about to truncate the prefix / done
 *   R next / Z next          about to reset to next (a term-0 no-op at next) / done
 * </pre>
 *
 * Entry bytes are {@link TestEntries#data}(index, term, seed). Bounded: stops by itself after
 * {@link #OPERATIONS_MAX} operations or {@link #RUN_SECONDS_MAX} seconds.
 *
 * <p>Arguments: journal directory, seed, term base, and optionally the image directory of a
 * {@link PowerLossFileSystem} (empty: none) whose syncers the journal then uses.
 */
public final class CrashAppenderProcess {
  static final int OPERATIONS_MAX = 200_000;
  static final int RUN_SECONDS_MAX = 30;
  static final int BATCH_ENTRIES_MAX = 256;
  static final long LIVE_ENTRIES_MAX = 4_000;

  private CrashAppenderProcess() {}

  public static void main(String[] args) {
    Path directory = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    long term = Long.parseLong(args[2]);
    SplittableRandom random = new SplittableRandom(seed ^ term);
    PrintStream out = System.out;
    ChronicleLogStorage storage = args.length > 3 && !args[3].isEmpty()
        ? new ChronicleLogStorage(directory, TestRollCycles.TEST_SECONDLY,
            new PowerLossFileSystem(directory, Path.of(args[3])).syncers())
        : new ChronicleLogStorage(directory, TestRollCycles.TEST_SECONDLY);
    LogStorageOptions options = new LogStorageOptions();
    options.setConfigurationManager(new ConfigurationManager());
    options.setLogEntryCodecFactory(LogEntryV2CodecFactory.getInstance());
    if (!storage.init(options)) {
      System.exit(2);
    }
    out.println("OPEN " + storage.getFirstLogIndex() + " " + storage.getLastLogIndex());
    out.flush();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RUN_SECONDS_MAX);
    for (int op = 0; op < OPERATIONS_MAX && System.nanoTime() < deadline; op++) {
      long first = storage.getFirstLogIndex();
      long last = storage.getLastLogIndex();
      int dice = random.nextInt(100);
      if (dice < 5 && last >= first) {
        long lastKept = last - random.nextInt((int) Math.min(64, last - first + 1));
        out.println("S " + lastKept);
        out.flush();
        check(storage.truncateSuffix(lastKept));
        out.println("T " + lastKept);
        out.flush();
        term++;
      } else if (dice < 8 && last - first > LIVE_ENTRIES_MAX) {
        long firstKept = last - LIVE_ENTRIES_MAX / 4;
        out.println("P " + firstKept);
        out.flush();
        check(storage.truncatePrefix(firstKept));
        out.println("Q " + firstKept);
        out.flush();
      } else if (dice == 8) {
        long nextIndex = last + 1 + random.nextInt(100);
        out.println("R " + nextIndex);
        out.flush();
        check(storage.reset(nextIndex));
        out.println("Z " + nextIndex);
        out.flush();
      } else {
        int count = 1 + random.nextInt(BATCH_ENTRIES_MAX);
        long firstIndex = last + 1;
        out.println("W " + firstIndex + " " + (firstIndex + count - 1) + " " + term);
        out.flush();
        check(storage.appendEntries(TestEntries.batch(firstIndex, count, term, seed)) == count);
        out.println("A " + (firstIndex + count - 1));
        out.flush();
      }
    }
    storage.shutdown();
  }

  private static void check(boolean succeeded) {
    if (!succeeded) {
      System.err.println("storage call failed");
      System.exit(3);
    }
  }
}
