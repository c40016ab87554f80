package io.trident.testing;

import java.util.List;

/**
 * Formats the point where one key's search got stuck deepest into the few lines a person needs
 * to debug it: the end of the longest linearizable prefix (with the register after each op), the
 * op that completed without a place in any order, why, who wrote the value it read, and the other
 * ops still open at that point. Bounded: at most a few dozen lines whatever the history's size.
 */
final class FailureReport {
  private static final int WRITERS_SHOWN_MAX = 3;

  private FailureReport() {}

  static String format(RegisterModel model, KeySearch.StuckPoint stuck, long originNanos) {
    StringBuilder text = new StringBuilder();
    int blocking = stuck.blockingOp();
    if (stuck.depth() == 0) {
      text.append("No operation can be linearized before #").append(model.operation(blocking).id())
          .append(" completes.\n");
    } else {
      text.append("Longest linearizable prefix: ").append(stuck.depth()).append(" of ")
          .append(model.size()).append(" operations on this key; its last steps, with the register")
          .append(" after each:\n");
      if (stuck.depth() > stuck.recentOps().length) {
        text.append("    ...\n");
      }
      for (int i = 0; i < stuck.recentOps().length; i++) {
        text.append("    ").append(model.operation(stuck.recentOps()[i]).describe(originNanos))
            .append("   => ").append(model.valueText(stuck.stateAfterRecent()[i])).append('\n');
      }
    }
    text.append("Stuck at:\n    ").append(model.operation(blocking).describe(originNanos))
        .append('\n');
    text.append("    it completed here but has no place in any order: ")
        .append(openOpStatus(model, blocking, stuck.state())).append('\n');
    appendWritersOfRead(text, model, blocking, originNanos);
    if (stuck.candidateOps().length > 0) {
      text.append("Also open (invoked before it completed, not linearized):\n");
      for (int candidate : stuck.candidateOps()) {
        text.append("    ").append(model.operation(candidate).describe(originNanos))
            .append("   (").append(openOpStatus(model, candidate, stuck.state())).append(")\n");
      }
      if (stuck.moreCandidates()) {
        text.append("    ... and more\n");
      }
    }
    return text.toString();
  }

  private static String openOpStatus(RegisterModel model, int op, int state) {
    String reason = model.rejectionReason(op, state);
    if (reason != null) {
      return "cannot go next: " + reason;
    }
    if (!model.isDeterminate(op) && model.step(op, state) == state) {
      return "indeterminate; would change nothing here";
    }
    return "could go next in " + model.valueText(state) + ", but no order from there works";
  }

  /** For a GET: which ops could have written what it read, or that none did. */
  private static void appendWritersOfRead(StringBuilder text, RegisterModel model, int op,
      long originNanos) {
    Operation operation = model.operation(op);
    if (operation.type() != OpType.GET || operation.resultValue() == null) {
      return;
    }
    List<Integer> writers = model.writersOf(model.readValue(op));
    if (writers.isEmpty()) {
      text.append("    no operation on this key ever wrote ")
          .append(Operation.valueText(operation.resultValue())).append('\n');
      return;
    }
    text.append("    ").append(Operation.valueText(operation.resultValue()))
        .append(" was written only by:\n");
    for (int i = 0; i < Math.min(writers.size(), WRITERS_SHOWN_MAX); i++) {
      text.append("      ").append(model.operation(writers.get(i)).describe(originNanos))
          .append('\n');
    }
    if (writers.size() > WRITERS_SHOWN_MAX) {
      text.append("      ... and ").append(writers.size() - WRITERS_SHOWN_MAX).append(" more\n");
    }
  }
}
