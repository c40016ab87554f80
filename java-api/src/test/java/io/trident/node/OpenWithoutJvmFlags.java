package io.trident.node;

import io.trident.NodeOptions;
import io.trident.Trident;
import io.trident.error.MissingJvmFlagsException;
import java.nio.file.Files;

/** Child-JVM main for {@link NodeSecurityTest}: opens a node in a JVM started without the flags. */
public final class OpenWithoutJvmFlags {
  private OpenWithoutJvmFlags() {}

  public static void main(String[] args) throws Exception {
    try {
      Trident.open(NodeOptions.builder().dataDir(Files.createTempDirectory("no-flags"))
          .groupId("g").self("127.0.0.1:" + TestCluster.freeLoopbackPort()).build()).close();
      System.out.println("OPENED");
    } catch (MissingJvmFlagsException e) {
      System.out.println("REFUSED " + e.getMessage());
    }
  }
}
