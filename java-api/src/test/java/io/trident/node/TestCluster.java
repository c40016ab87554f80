package io.trident.node;

import io.trident.NodeOptions;
import io.trident.Trident;
import io.trident.TridentNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * N real Trident nodes in this JVM on 127.0.0.1, each with its own data directory under one
 * temporary root. Members can be closed (a crash of the process as far as the others can tell)
 * and reopened on the same directory. Not thread-safe: drive it from the test thread.
 */
final class TestCluster implements AutoCloseable {
  static final String GROUP = "test-group";
  static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  final List<String> addresses = new ArrayList<>();
  private final Path root;
  private final TridentNode[] nodes;
  private final UnaryOperator<NodeOptions.Builder> tuning;

  TestCluster(Path root, int size) throws IOException {
    this(root, size, builder -> builder);
  }

  TestCluster(Path root, int size, UnaryOperator<NodeOptions.Builder> tuning) throws IOException {
    this.root = root;
    this.tuning = tuning;
    this.nodes = new TridentNode[size];
    for (int i = 0; i < size; i++) {
      addresses.add("127.0.0.1:" + freeLoopbackPort());
    }
  }

  static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  NodeOptions options(int member) {
    NodeOptions.Builder builder = NodeOptions.builder().dataDir(root.resolve("node-" + member))
        .groupId(GROUP).self(addresses.get(member)).peers(addresses)
        .electionTimeout(Duration.ofMillis(600)).requestTimeout(Duration.ofSeconds(20));
    return tuning.apply(builder).build();
  }

  TestCluster startAll() {
    for (int i = 0; i < nodes.length; i++) {
      start(i);
    }
    awaitLeader();
    return this;
  }

  TridentNode start(int member) {
    nodes[member] = Trident.open(options(member));
    return nodes[member];
  }

  void stop(int member) {
    if (nodes[member] != null) {
      nodes[member].close();
      nodes[member] = null;
    }
  }

  TridentNode node(int member) {
    return nodes[member];
  }

  int size() {
    return nodes.length;
  }

  /** Index of the member that leads and has taken office; waits up to READY_TIMEOUT. */
  int awaitLeader() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < nodes.length; i++) {
        if (nodes[i] != null && nodes[i].isLeader()) {
          nodes[i].awaitReady(READY_TIMEOUT);
          return i;
        }
      }
      sleep(20);
    }
    throw new AssertionError("no leader within " + READY_TIMEOUT);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  @Override
  public void close() {
    for (int i = 0; i < nodes.length; i++) {
      stop(i);
    }
  }
}
