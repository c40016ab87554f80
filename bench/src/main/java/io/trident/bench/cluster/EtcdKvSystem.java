package io.trident.bench.cluster;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * etcd 3.4 (Debian {@code etcd-server}): {@code nodeCount} member processes with client and peer
 * URLs on 127.0.0.1 only, data directories under the run's temporary directory, etcd's default
 * durability (a WAL fdatasync before every Raft ack), driven by jetcd with one client per member
 * (operation {@code i} goes to member {@code i % n}; followers forward proposals to the leader).
 * Gets are etcd's default linearizable range reads. Runs in a child JVM (jetcd's grpc and netty
 * would clash with bolt's on the bench classpath). The binary comes from system property
 * {@value #BINARY_PROPERTY} (the parent installs it, see {@link EtcdInstaller}).
 */
public final class EtcdKvSystem implements KvSystem {
  public static final String NAME = "etcd";
  static final String BINARY_PROPERTY = "trident.bench.etcdBinary";
  private static final long READY_SECONDS_MAX = 60;
  private static final long STOP_SECONDS_MAX = 10;
  /** Headroom over etcd's 2 GB default: every put adds an MVCC revision. */
  private static final long QUOTA_BACKEND_BYTES = 8L << 30;

  private final List<Process> members;
  private final List<Client> clients;
  private final List<String> clientUrls;

  private EtcdKvSystem(List<Process> members, List<Client> clients, List<String> clientUrls) {
    this.members = members;
    this.clients = clients;
    this.clientUrls = clientUrls;
  }

  public static EtcdKvSystem start(int nodeCount, Path directory) throws Exception {
    String binary = System.getProperty(BINARY_PROPERTY, "etcd");
    List<String> clientUrls = new ArrayList<>();
    List<String> peerUrls = new ArrayList<>();
    List<String> cluster = new ArrayList<>();
    for (int i = 0; i < nodeCount; i++) {
      clientUrls.add("http://127.0.0.1:" + LoopbackPorts.free());
      peerUrls.add("http://127.0.0.1:" + LoopbackPorts.free());
      cluster.add("m" + i + "=" + peerUrls.get(i));
    }
    EtcdKvSystem system = new EtcdKvSystem(new ArrayList<>(), new ArrayList<>(), clientUrls);
    try {
      for (int i = 0; i < nodeCount; i++) {
        Path memberDirectory = directory.resolve("m" + i);
        Files.createDirectories(memberDirectory);
        List<String> command = List.of(binary, "--name", "m" + i,
            "--data-dir", memberDirectory.resolve("data").toString(),
            "--listen-client-urls", clientUrls.get(i), "--advertise-client-urls", clientUrls.get(i),
            "--listen-peer-urls", peerUrls.get(i), "--initial-advertise-peer-urls", peerUrls.get(i),
            "--initial-cluster", String.join(",", cluster), "--initial-cluster-state", "new",
            "--initial-cluster-token", "cluster-bench-" + directory.getFileName(),
            "--quota-backend-bytes", Long.toString(QUOTA_BACKEND_BYTES),
            "--auto-compaction-mode", "periodic", "--auto-compaction-retention", "1m",
            "--logger", "zap", "--log-level", "warn");
        system.members.add(new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(memberDirectory.resolve("etcd.log").toFile()).start());
      }
      for (String url : clientUrls) {
        system.clients.add(Client.builder().endpoints(url).build());
      }
      system.awaitReady();
      return system;
    } catch (Exception | Error e) {
      system.close();
      throw e;
    }
  }

  /** Every member answers a linearizable read (bounded by {@link #READY_SECONDS_MAX}). */
  private void awaitReady() throws InterruptedException {
    long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS_MAX);
    ByteSequence probe = ByteSequence.from(new byte[] {'p'});
    for (int i = 0; i < clients.size(); i++) {
      while (true) {
        if (!members.get(i).isAlive()) {
          throw new IllegalStateException("etcd member m" + i + " exited with "
              + members.get(i).exitValue() + " (see its etcd.log)");
        }
        try {
          clients.get(i).getKVClient().get(probe).get(2, TimeUnit.SECONDS);
          break;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          if (System.nanoTime() - deadlineNanos >= 0) {
            throw new IllegalStateException("etcd member m" + i + " not ready within "
                + READY_SECONDS_MAX + " s", e);
          }
          Thread.sleep(100);
        }
      }
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return NAME + ": " + System.getProperty(BINARY_PROPERTY, "etcd") + ", " + members.size()
        + " members on 127.0.0.1 (default fsync: WAL fdatasync per Raft ready), jetcd client per"
        + " member, linearizable gets";
  }

  @Override
  public int nodeCount() {
    return clients.size();
  }

  @Override
  public CompletableFuture<?> put(int nodeIndex, byte[] key, byte[] value) {
    return clients.get(nodeIndex).getKVClient().put(ByteSequence.from(key),
        ByteSequence.from(value));
  }

  @Override
  public CompletableFuture<?> get(int nodeIndex, byte[] key) {
    return clients.get(nodeIndex).getKVClient().get(ByteSequence.from(key));
  }

  /** Member 0's Raft index (etcd applies one entry per put); -1 if it does not answer. */
  @Override
  public long raftEntryCount() {
    try {
      return clients.get(0).getMaintenanceClient().statusMember(clientUrls.get(0))
          .get(5, TimeUnit.SECONDS).getRaftIndex();
    } catch (Exception e) {
      return -1;
    }
  }

  @Override
  public void close() {
    for (Client client : clients) {
      client.close();
    }
    for (Process member : members) {
      member.destroy();
    }
    for (Process member : members) {
      try {
        if (!member.waitFor(STOP_SECONDS_MAX, TimeUnit.SECONDS)) {
          member.destroyForcibly();
        }
      } catch (InterruptedException e) {
        member.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
