package io.trident.internal.node;

import com.alipay.sofa.jraft.CliService;
import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftServiceFactory;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.option.CliOptions;
import io.trident.error.InvalidArgumentException;
import io.trident.error.NotLeaderException;
import io.trident.error.TridentException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Membership changes from any member: on the leader through the local Raft node, elsewhere
 * through jraft's CLI service addressed to the leader this member knows. Each change completes
 * once the new configuration is committed. Calls run one at a time on a private thread (jraft's
 * CLI calls block), so no caller thread blocks.
 */
final class MembershipClient implements AutoCloseable {
  private final String groupId;
  private final Node raft;
  private final ExecutorService worker;
  private CliService cli;

  MembershipClient(String groupId, Node raft) {
    this.groupId = groupId;
    this.raft = raft;
    this.worker = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "trident-membership-" + groupId);
      thread.setDaemon(true);
      return thread;
    });
  }

  CompletableFuture<Void> add(String hostPort, Duration timeout) {
    PeerId peer = parse(hostPort);
    return run(timeout, true, peer);
  }

  CompletableFuture<Void> remove(String hostPort, Duration timeout) {
    PeerId peer = parse(hostPort);
    return run(timeout, false, peer);
  }

  private CompletableFuture<Void> run(Duration timeout, boolean add, PeerId peer) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    worker.execute(() -> {
      try {
        Status status = raft.isLeader() ? local(add, peer, timeout) : remote(add, peer, timeout);
        if (status.isOk()) {
          done.complete(null);
        } else {
          done.completeExceptionally(new TridentException((add ? "adding " : "removing ") + peer
              + " failed: " + status));
        }
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    return done;
  }

  private Status local(boolean add, PeerId peer, Duration timeout) {
    CompletableFuture<Status> result = new CompletableFuture<>();
    if (add) {
      raft.addPeer(peer, result::complete);
    } else {
      raft.removePeer(peer, result::complete);
    }
    try {
      return result.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new io.trident.error.OperationTimeoutException("membership change of " + peer
          + " not committed within " + timeout + ": " + e);
    }
  }

  private Status remote(boolean add, PeerId peer, Duration timeout) {
    PeerId leader = raft.getLeaderId();
    if (leader == null || leader.isEmpty()) {
      throw new NotLeaderException("no leader known; cannot change membership of group "
          + groupId);
    }
    if (cli == null) {
      CliOptions options = new CliOptions();
      options.setTimeoutMs((int) timeout.toMillis());
      options.setMaxRetry(3);
      cli = RaftServiceFactory.createAndInitCliService(options);
    }
    Configuration conf = new Configuration(List.of(leader));
    return add ? cli.addPeer(groupId, conf, peer) : cli.removePeer(groupId, conf, peer);
  }

  private static PeerId parse(String hostPort) {
    PeerId peer = new PeerId();
    if (hostPort == null || !peer.parse(hostPort) || peer.isEmpty()) {
      throw new InvalidArgumentException("member address \"" + hostPort + "\" is not host:port");
    }
    return peer;
  }

  @Override
  public void close() {
    worker.shutdownNow();
    if (cli != null) {
      cli.shutdown();
    }
  }
}
