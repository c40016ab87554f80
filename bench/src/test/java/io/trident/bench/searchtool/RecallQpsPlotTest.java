package io.trident.bench.searchtool;

import static io.trident.bench.searchtool.MeasuredSettings.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecallQpsPlotTest {
  @Test
  void writesAPngThatImageIoReadsWithOneColourPerSeries(@TempDir Path directory)
      throws Exception {
    Path file = directory.resolve("plot.png");
    RecallQpsPlot.write(file, List.of(
        row("trident", "HNSW32", 16, 0.90, 30_000), row("trident", "HNSW32", 64, 0.99, 9_000),
        row("lucene", "M16 efC100", 16, 0.85, 5_000), row("lucene", "M16 efC100", 64, 0.97, 2_000)),
        "test plot", 10);

    BufferedImage image = ImageIO.read(file.toFile());
    assertNotNull(image, "ImageIO could not read the PNG");
    assertTrue(image.getWidth() >= 800 && image.getHeight() >= 600);
    // The first two palette colours (one per series) are drawn somewhere.
    assertTrue(countPixels(image, 0xD62728) > 50, "first series not drawn");
    assertTrue(countPixels(image, 0x1F77B4) > 50, "second series not drawn");
    assertEquals(0xFFFFFF, image.getRGB(2, 2) & 0xFFFFFF, "background is white");
  }

  private static int countPixels(BufferedImage image, int rgb) {
    int count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
          count++;
        }
      }
    }
    return count;
  }
}
