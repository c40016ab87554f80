package io.trident.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test helper: histories that are linearizable by construction, and the same with one read made
 * stale, for {@link LinearizabilityCheckerTest}.
 *
 * <p>Simulates {@code processCount} clients of one atomic map. At each step a random client
 * moves its operation on by one phase: invoke, take effect (at that instant, on the map), then
 * complete. The interleaving of phases across clients gives random real-time overlaps, and every
 * op takes effect inside its recorded interval, so the history is linearizable. Rarely an op
 * fails before taking effect, or ends indeterminate: after taking effect, or before it, in which
 * case it may still take effect later (as a request stuck in a queue would) or never. A client
 * whose op ended indeterminate is replaced by a new process id, as Jepsen does.
 *
 * <p>Values are unique ({@code v1, v2, ...}), so a stale read can be planted that no order
 * explains. Deterministic from the seed; the clock is a counter, one tick per event.
 */
final class SimulatedRegisterHistory {
  /** A history with one GET's result replaced by a value that was definitely overwritten. */
  record StaleRead(List<Operation> operations, Operation corruptedRead, Operation staleWrite,
      Operation overwrite) {}

  private static final double FAIL_PROBABILITY = 0.003;
  private static final double INFO_PROBABILITY = 0.003;
  private static final double LATE_EFFECT_PROBABILITY = 0.02;

  private SimulatedRegisterHistory() {}

  static History generate(long seed, int keyCount, int processCount, int operationCount) {
    Random random = new Random(seed);
    AtomicLong ticks = new AtomicLong();
    History history = History.withClock(ticks::incrementAndGet);
    Map<String, String> store = new HashMap<>();
    Client[] clients = new Client[processCount];
    for (int i = 0; i < processCount; i++) {
      clients[i] = new Client(i);
    }
    int nextProcessId = processCount;
    List<Client> lateEffects = new ArrayList<>(); // indeterminate, not yet applied
    int invoked = 0;
    long valueCounter = 0;
    long stepsMax = 10L * operationCount + 1000; // every loop bounded
    for (long step = 0; step < stepsMax; step++) {
      if (!lateEffects.isEmpty() && random.nextDouble() < LATE_EFFECT_PROBABILITY) {
        Client late = lateEffects.remove(random.nextInt(lateEffects.size()));
        late.applyTo(store);
      }
      Client client = clients[random.nextInt(processCount)];
      if (client.handle == null) {
        if (invoked == operationCount) {
          if (allIdle(clients)) {
            break;
          }
          continue;
        }
        invoked++;
        client.start(history, random, keyCount, store, ++valueCounter);
      } else if (!client.applied) {
        double roll = random.nextDouble();
        if (roll < FAIL_PROBABILITY) {
          client.handle.fail();
          client.handle = null;
        } else if (roll < FAIL_PROBABILITY + INFO_PROBABILITY) {
          client.handle.info();
          if (random.nextBoolean()) {
            lateEffects.add(client.detach());
          }
          clients[indexOf(clients, client)] = new Client(nextProcessId++);
        } else {
          client.applyTo(store);
        }
      } else if (random.nextDouble() < INFO_PROBABILITY) {
        client.handle.info();
        clients[indexOf(clients, client)] = new Client(nextProcessId++);
      } else {
        client.completeOk();
      }
    }
    return history;
  }

  /**
   * Replaces the result of a GET near the middle with the value of a PUT that completed before
   * some other determinate write began, which itself completed before the GET was invoked; with
   * unique values no order can explain that read. Null if the history has no such triple.
   */
  static StaleRead withStaleRead(List<Operation> operations) {
    Map<String, List<Operation>> writesByKey = new HashMap<>();
    int middle = operations.size() / 2;
    for (int i = 0; i < operations.size(); i++) {
      Operation operation = operations.get(i);
      if (i >= middle && operation.type() == OpType.GET
          && operation.outcome() == Operation.Outcome.OK) {
        StaleRead found = staleFor(operations, operation, writesByKey.get(operation.key()));
        if (found != null) {
          return found;
        }
      }
      if (isDeterminateWrite(operation)) {
        writesByKey.computeIfAbsent(operation.key(), key -> new ArrayList<>()).add(operation);
      }
    }
    return null;
  }

  private static StaleRead staleFor(List<Operation> operations, Operation read,
      List<Operation> earlierWrites) {
    if (earlierWrites == null) {
      return null;
    }
    for (int o = earlierWrites.size() - 1; o >= 0; o--) {
      Operation overwrite = earlierWrites.get(o);
      if (overwrite.completeNanos() >= read.invokeNanos()) {
        continue;
      }
      for (int w = o - 1; w >= 0; w--) {
        Operation staleWrite = earlierWrites.get(w);
        boolean differs = !staleWrite.value().equals(overwrite.value());
        if (staleWrite.type() == OpType.PUT && differs
            && staleWrite.completeNanos() < overwrite.invokeNanos()
            && !staleWrite.value().equals(read.resultValue())) {
          List<Operation> corrupted = new ArrayList<>(operations);
          Operation badRead = read.withOkResult(staleWrite.value(), false);
          corrupted.set(read.id(), badRead);
          return new StaleRead(corrupted, badRead, staleWrite, overwrite);
        }
      }
    }
    return null;
  }

  /** PUTs and swapped CASes to a value (never absent here, so {@code value()} is non-null). */
  private static boolean isDeterminateWrite(Operation operation) {
    return operation.outcome() == Operation.Outcome.OK && operation.value() != null
        && (operation.type() == OpType.PUT
            || (operation.type() == OpType.CAS && operation.resultFlag()));
  }

  private static boolean allIdle(Client[] clients) {
    for (Client client : clients) {
      if (client.handle != null) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(Client[] clients, Client client) {
    for (int i = 0; i < clients.length; i++) {
      if (clients[i] == client) {
        return i;
      }
    }
    throw new IllegalStateException("client not found");
  }

  /** One simulated process and its single operation in flight. */
  private static final class Client {
    final int processId;
    OperationHandle handle;
    String key;
    OpType type;
    String value;
    String expected;
    boolean applied;
    String readResult;
    boolean flagResult;

    Client(int processId) {
      this.processId = processId;
    }

    void start(History history, Random random, int keyCount, Map<String, String> store,
        long valueNumber) {
      key = "k" + random.nextInt(keyCount);
      applied = false;
      int roll = random.nextInt(100);
      if (roll < 40) {
        type = OpType.GET;
        handle = history.invokeGet(processId, key);
      } else if (roll < 70) {
        type = OpType.PUT;
        value = "v" + valueNumber;
        handle = history.invokePut(processId, key, value);
      } else if (roll < 90) {
        type = OpType.CAS;
        // Half the time expect what is there now, so that many swaps succeed.
        expected = random.nextBoolean() ? store.get(key) : "v" + random.nextInt((int) valueNumber);
        value = random.nextInt(10) == 0 ? null : "v" + valueNumber;
        handle = history.invokeCas(processId, key, expected, value);
      } else {
        type = OpType.DELETE;
        handle = history.invokeDelete(processId, key);
      }
    }

    /** Takes effect now, atomically on the store, and remembers the result. */
    void applyTo(Map<String, String> store) {
      String current = store.get(key);
      switch (type) {
        case PUT -> store.put(key, value);
        case GET -> readResult = current;
        case DELETE -> flagResult = store.remove(key) != null;
        case CAS -> {
          flagResult = java.util.Objects.equals(current, expected);
          if (flagResult) {
            if (value == null) {
              store.remove(key);
            } else {
              store.put(key, value);
            }
          }
        }
      }
      applied = true;
    }

    void completeOk() {
      switch (type) {
        case PUT -> handle.ok();
        case GET -> handle.ok(readResult);
        case DELETE, CAS -> handle.ok(flagResult);
      }
      handle = null;
    }

    /** This client's op as a detached late effect; the client itself is retired. */
    Client detach() {
      handle = null;
      return this;
    }
  }
}
