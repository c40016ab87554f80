package io.trident.bench.peer;

import io.trident.bench.searchtool.MeasuredSetting;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Optional peer: FAISS IndexHNSWFlat through Debian's python3-faiss, measured by
 * {@code faiss_peer.py} (a resource of this jar, copied to the output directory) in a child
 * Python process with the same arguments and wire format as {@link LucenePeerMain}. Python adds
 * a few microseconds per query call, which counts against FAISS.
 */
public final class FaissChildRunner {
  /** Environment variable naming the Python interpreter; default /usr/bin/python3. */
  public static final String PYTHON_ENV = "TRIDENT_BENCH_PYTHON";
  private static final String SCRIPT_RESOURCE = "faiss_peer.py";
  private static final String VERSION_PREFIX = "FAISS_VERSION\t";
  private static final long PROBE_SECONDS = 60;

  private FaissChildRunner() {}

  /** The interpreter to use, after checking it can import faiss; throws with a fix if not. */
  public static String python() {
    String configured = System.getenv(PYTHON_ENV);
    String python = configured != null && !configured.isBlank() ? configured
        : Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    try {
      Process probe = new ProcessBuilder(python, "-c", "import faiss, numpy")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (probe.waitFor(PROBE_SECONDS, TimeUnit.SECONDS) && probe.exitValue() == 0) {
        return python;
      }
      probe.destroyForcibly();
    } catch (IOException e) {
      // Reported below.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IllegalStateException(python + " cannot import faiss: install python3-faiss "
        + "(TRIDENT_BENCH_DEPS=1 scripts/install-deps.sh) or set " + PYTHON_ENV);
  }

  /** Runs the FAISS child with {@code peerArguments}; its script is written to {@code work}. */
  public static List<MeasuredSetting> run(List<String> peerArguments, Path work) {
    String python = python();
    Path script = work.resolve(SCRIPT_RESOURCE);
    try (InputStream in = FaissChildRunner.class.getResourceAsStream(SCRIPT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + SCRIPT_RESOURCE + " missing from the jar");
      }
      Files.createDirectories(work);
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> command = new ArrayList<>(List.of(python, script.toString()));
    command.addAll(peerArguments);
    return ChildProcessRows.run(command, VERSION_PREFIX, "faiss");
  }
}
