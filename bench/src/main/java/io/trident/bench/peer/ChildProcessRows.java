package io.trident.bench.peer;

import io.trident.bench.searchtool.MeasuredSetting;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a peer's child process and collects the {@link MeasuredSetting} wire lines it prints on
 * stdout. The child's stderr (its progress) is passed through; a stdout line starting with
 * {@code versionPrefix} is reported on stderr; other stdout lines are echoed there too.
 */
final class ChildProcessRows {
  private static final long TIMEOUT_MINUTES = 180;

  private ChildProcessRows() {}

  /** Runs {@code command}; throws if it fails or times out. */
  static List<MeasuredSetting> run(List<String> command, String versionPrefix, String label) {
    List<MeasuredSetting> rows = new ArrayList<>();
    try {
      Process child = new ProcessBuilder(command)
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (MeasuredSetting.isWireLine(line)) {
            rows.add(MeasuredSetting.fromWireLine(line));
          } else if (line.startsWith(versionPrefix)) {
            System.err.println("[bench] " + label + " child runs "
                + line.substring(versionPrefix.length()));
          } else {
            System.err.println("[" + label + "] " + line);
          }
        }
      }
      if (!child.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        child.destroyForcibly();
        throw new IllegalStateException(label + " child process timed out");
      }
      if (child.exitValue() != 0) {
        throw new IllegalStateException(label + " child process failed, exit "
            + child.exitValue() + ": " + String.join(" ", command));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for the " + label + " child", e);
    }
    return rows;
  }
}
