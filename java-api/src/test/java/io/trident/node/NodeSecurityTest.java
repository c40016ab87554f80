package io.trident.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node listens on its configured address only, and refuses to run without the JVM flags. */
class NodeSecurityTest {
  @TempDir Path root;

  @Test
  void serversListenOnTheConfiguredAddressOnly() throws Exception {
    try (TestCluster cluster = new TestCluster(root, 3).startAll()) {
      for (String address : cluster.addresses) {
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        List<String> listeners = listeningAddresses(port);
        assertEquals(List.of("0100007F"), listeners, "port " + port
            + " must listen on 127.0.0.1 only (hex, /proc/net/tcp{,6}): " + listeners);
      }
    }
  }

  @Test
  void missingJvmFlagsAreNamedAtOpen() throws Exception {
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-cp", classpath,
        OpenWithoutJvmFlags.class.getName()).redirectErrorStream(true).start();
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM finished");
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(output.contains("REFUSED"), output);
    assertTrue(output.contains("--add-opens=java.base/java.nio=ALL-UNNAMED"), output);
    assertFalse(output.contains("OPENED"), output);
  }

  private static final String IPV4_MAPPED_PREFIX = "0000000000000000FFFF0000";

  /** Local addresses (hex, as the kernel prints them) of sockets listening on {@code port}. */
  private static List<String> listeningAddresses(int port) throws IOException {
    String portHex = String.format(Locale.ROOT, ":%04X", port);
    List<String> addresses = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String line : Files.readAllLines(Path.of(table))) {
        String[] fields = line.trim().split("\\s+");
        // fields[1] local address:port, fields[3] state; 0A is LISTEN.
        if (fields.length > 3 && fields[1].endsWith(portHex) && fields[3].equals("0A")) {
          String local = fields[1].substring(0, fields[1].indexOf(':'));
          // An IPv6 socket bound to ::ffff:127.0.0.1 is the same IPv4 loopback address.
          addresses.add(local.startsWith(IPV4_MAPPED_PREFIX) ? local.substring(24) : local);
        }
      }
    }
    return addresses;
  }
}
