package io.trident;

import io.trident.error.InvalidOptionException;
import io.trident.nativelib.ThreadPlacement;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How {@link Trident#open} builds a node. Immutable; build with {@link #builder()}:
 *
 * <pre>{@code
 * NodeOptions options = NodeOptions.builder()
 *     .dataDir(Path.of("/var/lib/app/trident")).groupId("orders")
 *     .self("127.0.0.1:7001").peers(List.of("127.0.0.1:7001", "127.0.0.1:7002", "127.0.0.1:7003"))
 *     .build();
 * }</pre>
 *
 * <p>Every option but {@code dataDir}, {@code groupId} and {@code self} has a default; an invalid
 * or contradictory value fails {@link Builder#build()} with an {@link InvalidOptionException}
 * naming the option. Options can also be set by name ({@link Builder#set}, e.g. from a
 * configuration file): an unknown name fails the same way.
 */
public final class NodeOptions {
  /** Largest key LMDB stores (its compile-time {@code MDB_MAXKEYSIZE}). */
  public static final int KEY_BYTES_MAX = 511;
  /** Largest value a node accepts whatever {@code valueBytesMax} says: 16 MiB. */
  public static final int VALUE_BYTES_LIMIT = 16 << 20;
  private static final Pattern GROUP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private final Path dataDir;
  private final String groupId;
  private final String self;
  private final List<String> peers;
  private final boolean joinExisting;
  private final Duration electionTimeout;
  private final Duration requestTimeout;
  private final int batchOpsMax;
  private final int batchBytesMax;
  private final int inflightOpsMax;
  private final int valueBytesMax;
  private final long stateBufferBytesMax;
  private final int indexerCpuPercentWhileWriting;
  private final OverloadPolicy overloadPolicy;
  private final Duration snapshotInterval;
  private final ReadConsistency readConsistency;
  private final ThreadPlacement journalThreadPlacement;
  private final ThreadPlacement searchThreadPlacement;

  private NodeOptions(Builder builder) {
    dataDir = builder.dataDir;
    groupId = builder.groupId;
    self = builder.self;
    peers = List.copyOf(builder.peers);
    joinExisting = builder.joinExisting;
    electionTimeout = builder.electionTimeout;
    requestTimeout = builder.requestTimeout;
    batchOpsMax = builder.batchOpsMax;
    batchBytesMax = builder.batchBytesMax;
    inflightOpsMax = builder.inflightOpsMax;
    valueBytesMax = builder.valueBytesMax;
    stateBufferBytesMax = builder.stateBufferBytesMax;
    indexerCpuPercentWhileWriting = builder.indexerCpuPercentWhileWriting;
    overloadPolicy = builder.overloadPolicy;
    snapshotInterval = builder.snapshotInterval;
    readConsistency = builder.readConsistency;
    journalThreadPlacement = builder.journalThreadPlacement;
    searchThreadPlacement = builder.searchThreadPlacement;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The node's own directory: journal, Raft meta, state, snapshots. Locked while open. */
  public Path dataDir() {
    return dataDir;
  }

  /** The Raft group's name; a data directory belongs to one group for life. */
  public String groupId() {
    return groupId;
  }

  /** This member's {@code host:port}: the RPC server binds this address only. */
  public String self() {
    return self;
  }

  /** Every member's {@code host:port}, self included; a single member means a one-node store. */
  public List<String> peers() {
    return peers;
  }

  /**
   * True: start with no configuration and wait for the leader to add this member ({@link
   * TridentNode#addMember} on a running member). Ignored once the directory holds a log.
   */
  public boolean joinExisting() {
    return joinExisting;
  }

  public Duration electionTimeout() {
    return electionTimeout;
  }

  /** How long a call may take, leader changes and retries included, before it fails. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** Most client operations packed into one Raft entry. */
  public int batchOpsMax() {
    return batchOpsMax;
  }

  /** Most encoded bytes in one Raft entry; also the largest accepted {@link WriteBatch}. */
  public int batchBytesMax() {
    return batchBytesMax;
  }

  /** Most client write operations accepted and not yet completed, on this member. */
  public int inflightOpsMax() {
    return inflightOpsMax;
  }

  /** Largest value accepted by a put or compare-and-set. */
  public int valueBytesMax() {
    return valueBytesMax;
  }

  /**
   * Bytes of recent state changes a member keeps in memory (applying an operation is a hash
   * insert there) before a background thread writes them to LMDB in one sorted transaction; up
   * to twice this is held while a flush runs. Larger: fewer, cheaper-per-operation LMDB writes.
   */
  public long stateBufferBytesMax() {
    return stateBufferBytesMax;
  }

  /**
   * Most of one core, in percent, that a member's collection indexer (native graph inserts) uses
   * while writes keep arriving and other processes keep the host's cores busy (members sharing a
   * host); it pauses between chunks of work, never inside an index lock, so applying and
   * acknowledging writes is not starved by indexing. Alone on its host, or alone in its group (a
   * single node), it indexes on one thread without pauses meanwhile. Once writes stop for a
   * moment it runs flat out (on every core, unless it shares a busy host with replicas).
   * Acknowledged writes are durable either way; searches that wait for their writes ({@code
   * READ_YOUR_WRITES}, {@code LINEARIZABLE}) wait longer during an ingest. 100: never pause.
   * Default 25.
   */
  public int indexerCpuPercentWhileWriting() {
    return indexerCpuPercentWhileWriting;
  }

  public OverloadPolicy overloadPolicy() {
    return overloadPolicy;
  }

  /** How often a member snapshots its state and compacts its log. */
  public Duration snapshotInterval() {
    return snapshotInterval;
  }

  /**
   * Consistency of {@link KvStore#get(byte[])}, {@link KvStore#scan} and {@link
   * VectorCollection#get(long)} (searches choose theirs per {@link SearchRequest}).
   */
  public ReadConsistency readConsistency() {
    return readConsistency;
  }

  /**
   * Where the journal's threads run: jraft's disk thread (it writes each batch into the journal
   * and waits for, and reaps, its io_uring fdatasync) and the journal's zeroing thread. Default
   * {@link ThreadPlacement#NONE}; e.g. {@code cpus:2} keeps the commit path on one core,
   * {@code node:0} on the node nearest the disk's controller. A no-op on one NUMA node (node
   * placements), for CPUs or nodes not present, and where the kernel refuses; logged either way.
   */
  public ThreadPlacement journalThreadPlacement() {
    return journalThreadPlacement;
  }

  /**
   * Where search work runs: the collections' search worker threads and their indexer threads.
   * A node placement also makes index memory come from that node (the indexer builds and loads
   * indexes on a thread that prefers it). Default {@link ThreadPlacement#NONE}; same no-op rules
   * as {@link #journalThreadPlacement()}.
   */
  public ThreadPlacement searchThreadPlacement() {
    return searchThreadPlacement;
  }

  /** Collects options; {@link #build()} validates them all at once. Not thread-safe. */
  public static final class Builder {
    private Path dataDir;
    private String groupId;
    private String self;
    private List<String> peers = List.of();
    private boolean joinExisting;
    private Duration electionTimeout = Duration.ofMillis(1000);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private int batchOpsMax = 2048;
    private int batchBytesMax = 4 << 20;
    private int inflightOpsMax = 65536;
    private int valueBytesMax = 1 << 20;
    private long stateBufferBytesMax = 64L << 20;
    private int indexerCpuPercentWhileWriting = 25;
    private OverloadPolicy overloadPolicy = OverloadPolicy.WAIT;
    private Duration snapshotInterval = Duration.ofMinutes(30);
    private ReadConsistency readConsistency = ReadConsistency.LINEARIZABLE;
    private ThreadPlacement journalThreadPlacement = ThreadPlacement.NONE;
    private ThreadPlacement searchThreadPlacement = ThreadPlacement.NONE;

    private Builder() {}

    public Builder dataDir(Path value) {
      dataDir = value;
      return this;
    }

    public Builder groupId(String value) {
      groupId = value;
      return this;
    }

    public Builder self(String value) {
      self = value;
      return this;
    }

    public Builder peers(List<String> value) {
      peers = value == null ? null : new ArrayList<>(value);
      return this;
    }

    public Builder joinExisting(boolean value) {
      joinExisting = value;
      return this;
    }

    public Builder electionTimeout(Duration value) {
      electionTimeout = value;
      return this;
    }

    public Builder requestTimeout(Duration value) {
      requestTimeout = value;
      return this;
    }

    public Builder batchOpsMax(int value) {
      batchOpsMax = value;
      return this;
    }

    public Builder batchBytesMax(int value) {
      batchBytesMax = value;
      return this;
    }

    public Builder inflightOpsMax(int value) {
      inflightOpsMax = value;
      return this;
    }

    public Builder valueBytesMax(int value) {
      valueBytesMax = value;
      return this;
    }

    public Builder stateBufferBytesMax(long value) {
      stateBufferBytesMax = value;
      return this;
    }

    /** See {@link NodeOptions#indexerCpuPercentWhileWriting()}. */
    public Builder indexerCpuPercentWhileWriting(int value) {
      indexerCpuPercentWhileWriting = value;
      return this;
    }

    public Builder overloadPolicy(OverloadPolicy value) {
      overloadPolicy = value;
      return this;
    }

    public Builder snapshotInterval(Duration value) {
      snapshotInterval = value;
      return this;
    }

    public Builder readConsistency(ReadConsistency value) {
      readConsistency = value;
      return this;
    }

    /** See {@link NodeOptions#journalThreadPlacement()}; text form via {@link #set}. */
    public Builder journalThreadPlacement(ThreadPlacement value) {
      journalThreadPlacement = value;
      return this;
    }

    /** See {@link NodeOptions#searchThreadPlacement()}; text form via {@link #set}. */
    public Builder searchThreadPlacement(ThreadPlacement value) {
      searchThreadPlacement = value;
      return this;
    }

    /**
     * Sets an option by its accessor's name (e.g. {@code "requestTimeout"}, {@code "peers"}) from
     * text: durations as ISO-8601 ({@code PT2S}) or milliseconds, lists comma-separated.
     *
     * @throws InvalidOptionException for an unknown name or a value that does not parse
     */
    public Builder set(String name, String value) {
      OptionText.apply(this, name, value);
      return this;
    }

    /** Every option of {@code values} through {@link #set}. */
    public Builder setAll(Map<String, String> values) {
      values.forEach(this::set);
      return this;
    }

    /** @throws InvalidOptionException naming the first invalid or contradictory option */
    public NodeOptions build() {
      require(dataDir != null, "dataDir", "is required (the node's own directory)");
      require(groupId != null && GROUP_ID.matcher(groupId).matches(), "groupId",
          "must be 1-64 of [A-Za-z0-9_.-] starting with a letter or digit, was " + quote(groupId));
      require(self != null, "self", "is required (this member's host:port, e.g. 127.0.0.1:7001)");
      HostPort.parse("self", self);
      require(peers != null, "peers", "must not be null (empty means a single-node store)");
      LinkedHashSet<String> distinct = new LinkedHashSet<>();
      for (String peer : peers) {
        HostPort.parse("peers", peer);
        require(distinct.add(peer), "peers", "lists " + peer + " twice");
      }
      require(peers.isEmpty() || distinct.contains(self), "peers",
          "must include self (" + self + "): " + peers);
      requirePositive(electionTimeout, "electionTimeout", Duration.ofMillis(100));
      requirePositive(requestTimeout, "requestTimeout", Duration.ofMillis(1));
      requirePositive(snapshotInterval, "snapshotInterval", Duration.ofSeconds(1));
      require(batchOpsMax >= 1 && batchOpsMax <= 65536, "batchOpsMax",
          "must be 1..65536, was " + batchOpsMax);
      require(batchBytesMax >= 4096 && batchBytesMax <= 64 << 20, "batchBytesMax",
          "must be 4 KiB..64 MiB, was " + batchBytesMax);
      require(valueBytesMax >= 1 && valueBytesMax <= VALUE_BYTES_LIMIT, "valueBytesMax",
          "must be 1.." + VALUE_BYTES_LIMIT + ", was " + valueBytesMax);
      require(stateBufferBytesMax >= 1 << 20 && stateBufferBytesMax <= 16L << 30,
          "stateBufferBytesMax", "must be 1 MiB..16 GiB, was " + stateBufferBytesMax);
      require(indexerCpuPercentWhileWriting >= 1 && indexerCpuPercentWhileWriting <= 100,
          "indexerCpuPercentWhileWriting", "must be 1..100, was "
              + indexerCpuPercentWhileWriting);
      require(valueBytesMax + KEY_BYTES_MAX + 64 <= batchBytesMax, "valueBytesMax",
          "(" + valueBytesMax + ") plus a key must fit in batchBytesMax (" + batchBytesMax + ")");
      require(inflightOpsMax >= 1, "inflightOpsMax", "must be positive, was " + inflightOpsMax);
      require(overloadPolicy != null, "overloadPolicy", "must not be null");
      require(readConsistency != null, "readConsistency", "must not be null");
      require(journalThreadPlacement != null, "journalThreadPlacement",
          "must not be null (ThreadPlacement.NONE: no placement)");
      require(searchThreadPlacement != null, "searchThreadPlacement",
          "must not be null (ThreadPlacement.NONE: no placement)");
      return new NodeOptions(this);
    }

    private static void requirePositive(Duration value, String name, Duration least) {
      require(value != null && value.compareTo(least) >= 0, name, "must be at least " + least
          + ", was " + value);
    }

    private static void require(boolean condition, String option, String problem) {
      if (!condition) {
        throw new InvalidOptionException("NodeOptions." + option + " " + problem);
      }
    }

    private static String quote(String text) {
      return text == null ? "null" : "\"" + text + "\"";
    }
  }

  @Override
  public String toString() {
    return "NodeOptions{dataDir=" + dataDir + ", groupId=" + groupId + ", self=" + self
        + ", peers=" + peers + ", joinExisting=" + joinExisting + ", electionTimeout="
        + electionTimeout + ", requestTimeout=" + requestTimeout + ", batchOpsMax=" + batchOpsMax
        + ", batchBytesMax=" + batchBytesMax + ", inflightOpsMax=" + inflightOpsMax
        + ", valueBytesMax=" + valueBytesMax + ", stateBufferBytesMax=" + stateBufferBytesMax
        + ", indexerCpuPercentWhileWriting=" + indexerCpuPercentWhileWriting
        + ", overloadPolicy=" + overloadPolicy
        + ", snapshotInterval=" + snapshotInterval + ", readConsistency=" + readConsistency
        + ", journalThreadPlacement=" + journalThreadPlacement
        + ", searchThreadPlacement=" + searchThreadPlacement + "}";
  }
}
