package io.trident.raftlog;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Child process of {@link FusePowerLossRecoveryTest}: appends {@code batches} acknowledged batches
 * to the journal, then one more whose record it writes but whose fdatasync it never makes: the JVM
 * halts inside the sync call, as a process killed between write and sync. The record is then in
 * the page cache only.
 *
 * <p>Arguments: journal directory, seed, batches. Prints "ACK last" per acknowledged batch and
 * "HALT last" with the last index of the unsynced batch. Entry bytes are {@link TestEntries#data}(index, 1, seed).
 */
public final class HaltBeforeSyncProcess {
  private HaltBeforeSyncProcess() {}

  public static void main(String[] args) {
    Path directory = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    int batches = Integer.parseInt(args[2]);
    SplittableRandom random = new SplittableRandom(seed);
    boolean[] halting = {false};
    long[] pendingLast = {0};
    CycleFileSyncer.Factory real = GroupCommitCycleSyncer.preferredFactory();
    CycleFileSyncer.Factory haltingSyncers = new CycleFileSyncer.Factory() {
      @Override
      public CycleFileSyncer open(Path cycleFile) throws IOException {
        CycleFileSyncer delegate = real.open(cycleFile);
        return new ForwardingCycleFileSyncer(delegate) {
          @Override
          public void sync() throws IOException {
            haltIfAsked();
            super.sync();
          }

          @Override
          public void syncAppended(long appendedFrom) throws IOException {
            haltIfAsked();
            super.syncAppended(appendedFrom);
          }

          private void haltIfAsked() {
            if (halting[0]) {
              System.out.println("HALT " + pendingLast[0]);
              System.out.flush();
              Runtime.getRuntime().halt(0);
            }
          }
        };
      }

      @Override
      public String describe() {
        return "halting before a sync over " + real.describe();
      }
    };
    ChronicleLogStorage storage = JournalTestStorage.open(directory, haltingSyncers);
    long last = storage.getLastLogIndex();
    for (int batch = 0; batch <= batches; batch++) {
      int count = 1 + random.nextInt(64);
      halting[0] = batch == batches;
      pendingLast[0] = last + count;
      if (storage.appendEntries(TestEntries.batch(last + 1, count, 1, seed)) != count) {
        System.exit(3);
      }
      last += count;
      System.out.println("ACK " + last);
      System.out.flush();
    }
    System.exit(4); // never reached: the last batch halts inside its sync
  }
}
