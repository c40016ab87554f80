package io.trident.internal.node;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.rpc.RpcContext;
import com.alipay.sofa.jraft.rpc.RpcProcessor;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Leader side of forwarding: proposes a follower's {@link ForwardRequest} entry as it is (no
 * re-encoding) and answers once it is applied. A member that is not the leader answers {@link
 * ForwardResponse#NOT_LEADER} with the leader it knows; the follower then retries.
 *
 * <p>Threads: requests are handled on the network thread that read them; an applied entry is
 * answered from the state-machine thread (the answer is an asynchronous write), a failed one
 * from the completion executor.
 */
final class ForwardProcessor implements RpcProcessor<ForwardRequest> {
  private final String groupId;
  private final Supplier<Node> node;
  private final Executor completions;

  ForwardProcessor(String groupId, Supplier<Node> node, Executor completions) {
    this.groupId = groupId;
    this.node = node;
    this.completions = completions;
  }

  @Override
  public void handleRequest(RpcContext context, ForwardRequest request) {
    if (!groupId.equals(request.groupId())) {
      context.sendResponse(ForwardResponse.rejected(ForwardResponse.WRONG_GROUP, null,
          "this member serves group " + groupId + ", not " + request.groupId()));
      return;
    }
    Node raft = node.get();
    if (raft == null || !raft.isLeader()) {
      PeerId leader = raft == null ? null : raft.getLeaderId();
      context.sendResponse(ForwardResponse.rejected(ForwardResponse.NOT_LEADER,
          leader == null || leader.isEmpty() ? null : leader.toString(), "not the leader"));
      return;
    }
    raft.apply(new Task(ByteBuffer.wrap(request.entry()), new EntryResultClosure() {
      @Override
      public void applied(byte[] results, long index) {
        // An asynchronous network write, no user code: answered here, one thread hop sooner.
        context.sendResponse(ForwardResponse.applied(results, index));
      }

      @Override
      public void run(Status status) {
        if (!status.isOk()) {
          completions.execute(() -> context.sendResponse(ForwardResponse.rejected(
              ForwardResponse.FAILED, null, status.toString())));
        }
      }
    }));
  }

  /**
   * Handled on the network thread that read it: the work is a check and a non-blocking hand-off
   * to the Raft node (jraft's non-blocking apply answers EBUSY rather than wait), so a hop to an
   * executor would only add latency.
   */
  @Override
  public Executor executor() {
    return Runnable::run;
  }

  @Override
  public String interest() {
    return ForwardRequest.class.getName();
  }
}
