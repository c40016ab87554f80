package io.trident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trident.internal.nativelib.NativeRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native jar is self-contained: another JVM, started in an unrelated directory with no
 * LD_LIBRARY_PATH, loads the kernels from the jar alone; and no library in it carries a run
 * path other than $ORIGIN (no build directory leaks into the jar).
 */
class NativeJarLoadTest {
  @TempDir Path dir;

  @Test
  void anotherProcessLoadsTheKernelsFromTheJarAlone() throws Exception {
    Path nativeJar = asJar(codeSource(NativeRuntime.class), dir.resolve("trident-native.jar"));
    Path javacppJar = codeSource(Loader.class);
    ProcessBuilder child = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dorg.bytedeco.javacpp.cachedir=" + dir.resolve("cache"),
        "-cp", nativeJar + java.io.File.pathSeparator + javacppJar,
        "io.trident.nativelib.TridentNative");
    child.directory(Files.createDirectories(dir.resolve("elsewhere")).toFile());
    child.environment().remove("LD_LIBRARY_PATH");
    child.redirectErrorStream(true);
    Process process = child.start();
    String output;
    try (InputStream out = process.getInputStream()) {
      output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
    assertEquals(0, process.exitValue(), output);
    assertTrue(output.contains("available=true variant=" + Trident.kernelVariant()), output);
  }

  @Test
  void librariesInTheJarHaveOnlyOriginRunPaths() throws Exception {
    Path nativeJar = asJar(codeSource(NativeRuntime.class), dir.resolve("trident-native.jar"));
    List<Path> libraries = new ArrayList<>();
    try (JarFile jar = new JarFile(nativeJar.toFile())) {
      Enumeration<JarEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        JarEntry entry = entries.nextElement();
        if (entry.getName().endsWith(".so")) {
          Path extracted = dir.resolve(Path.of(entry.getName()).getFileName());
          try (InputStream in = jar.getInputStream(entry)) {
            Files.copy(in, extracted);
          }
          libraries.add(extracted);
        }
      }
    }
    assertTrue(libraries.size() >= 2, "jar holds libtrident_core.so and JNI libraries: " + libraries);
    for (Path library : libraries) {
      Process readelf = new ProcessBuilder("readelf", "-d", library.toString()).start();
      String dynamic = new String(readelf.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(readelf.waitFor(30, TimeUnit.SECONDS));
      for (String line : dynamic.split("\n")) {
        if (line.contains("RUNPATH") || line.contains("RPATH")) {
          String paths = line.substring(line.indexOf('[') + 1, line.lastIndexOf(']'));
          for (String path : paths.split(":")) {
            assertTrue(path.startsWith("$ORIGIN"), library.getFileName() + " has run path " + path);
          }
        }
      }
      assertFalse(dynamic.contains("/work/") || dynamic.contains("/target/"), dynamic);
    }
  }

  private static Path codeSource(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  /** The jar itself, or (when tests run from target/classes) a jar made of that directory. */
  private static Path asJar(Path codeSource, Path target) throws IOException {
    if (Files.isRegularFile(codeSource)) {
      return codeSource;
    }
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(target));
        Stream<Path> files = Files.walk(codeSource)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        jar.putNextEntry(new JarEntry(codeSource.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, jar);
        jar.closeEntry();
      }
    }
    return target;
  }
}
