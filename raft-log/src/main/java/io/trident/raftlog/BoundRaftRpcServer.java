package io.trident.raftlog;

import com.alipay.remoting.config.BoltServerOption;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.rpc.RaftRpcServerFactory;
import com.alipay.sofa.jraft.rpc.RpcServer;
import com.alipay.sofa.jraft.rpc.impl.BoltRpcServer;

/**
 * jraft's RPC server bound to one member's address only. jraft's own factory
 * ({@code RaftRpcServerFactory.createRaftRpcServer}) binds 0.0.0.0; every Trident server, test and
 * benchmark peer uses this instead. Not started: {@code RaftGroupService.start()} starts it.
 */
public final class BoundRaftRpcServer {
  private BoundRaftRpcServer() {}

  /** A bolt server on {@code self}'s ip and port with jraft's request processors registered. */
  public static RpcServer create(PeerId self) {
    com.alipay.remoting.rpc.RpcServer bolt =
        new com.alipay.remoting.rpc.RpcServer(self.getIp(), self.getPort(), true);
    bolt.option(BoltServerOption.SERVER_SYNC_STOP, true);
    RpcServer server = new BoltRpcServer(bolt);
    RaftRpcServerFactory.addRaftRequestProcessors(server);
    return server;
  }
}
