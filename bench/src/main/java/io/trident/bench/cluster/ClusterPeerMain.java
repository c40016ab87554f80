package io.trident.bench.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Main of a peer's child JVM (started by {@link ClusterChildRunner}): {@code --system NAME}
 * followed by {@link ClusterBenchOptions} arguments. Runs the sweep on that system in this JVM
 * and prints one {@link ClusterResult#toWireLine} per measurement on stdout; progress on
 * stderr. Exits 1 on failure.
 */
public final class ClusterPeerMain {
  private ClusterPeerMain() {}

  public static void main(String[] args) {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    int at = rest.indexOf("--system");
    if (at < 0 || at + 1 >= rest.size()) {
      System.err.println("usage: ClusterPeerMain --system rheakv|etcd [cluster options]");
      System.exit(2);
    }
    String system = rest.get(at + 1);
    rest.subList(at, at + 2).clear();
    try {
      ClusterBenchOptions options = ClusterBenchOptions.parse(rest.toArray(String[]::new));
      for (ClusterResult row : ClusterSweep.run(system, ClusterSystems.inProcessStarter(system),
          options)) {
        System.out.println(row.toWireLine());
      }
      System.out.flush();
      System.exit(0);
    } catch (Throwable e) {
      System.err.println("[" + system + "] failed: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }
}
