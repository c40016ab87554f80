package io.trident.internal.node;

/**
 * Whether this member leads and has taken office (its state machine ran {@code onLeaderStart},
 * so every earlier entry is applied), and a monitor to wait for a change. Any thread.
 */
final class LeaderState {
  private long leaderTerm = -1;
  private long changes;

  synchronized void leaderStarted(long term) {
    leaderTerm = term;
    changes++;
    notifyAll();
  }

  synchronized void leaderStopped() {
    leaderTerm = -1;
    changes++;
    notifyAll();
  }

  synchronized void following() {
    changes++;
    notifyAll();
  }

  /** True once this member leads and its state machine has caught up with its term. */
  synchronized boolean inOffice() {
    return leaderTerm >= 0;
  }

  /** Waits up to {@code millis} for any leadership change. */
  synchronized void awaitChange(long millis) throws InterruptedException {
    long seen = changes;
    long deadline = System.currentTimeMillis() + millis;
    while (seen == changes) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return;
      }
      wait(left);
    }
  }
}
