package io.trident.bench.searchtool;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws recall@k (x, linear) against single-thread QPS (y, log scale) as a PNG: one curve per
 * system and config, points in setting order, a legend. Uses headless Java2D only.
 */
public final class RecallQpsPlot {
  private static final int WIDTH = 1000;
  private static final int HEIGHT = 680;
  private static final int LEFT = 90;
  private static final int RIGHT = 30;
  private static final int TOP = 50;
  private static final int BOTTOM = 70;
  private static final Color[] PALETTE = {
      new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C), new Color(0xFF7F0E),
      new Color(0x9467BD), new Color(0x8C564B), new Color(0xE377C2), new Color(0x17BECF),
      new Color(0x7F7F7F), new Color(0xBCBD22)};

  private RecallQpsPlot() {}

  /** Writes the plot of {@code rows} to {@code file} (PNG). */
  public static void write(Path file, List<MeasuredSetting> rows, String title, int k) {
    System.setProperty("java.awt.headless", "true");
    Map<String, List<MeasuredSetting>> series = new LinkedHashMap<>();
    for (MeasuredSetting row : rows) {
      series.computeIfAbsent(row.seriesLabel(), s -> new ArrayList<>()).add(row);
    }
    double recallMin = rows.stream().mapToDouble(MeasuredSetting::recall).min().orElse(0.5);
    double xMin = Math.max(0, Math.floor(Math.min(recallMin, 0.9) * 20) / 20);
    double xMax = 1.0;
    double qpsMin = rows.stream().mapToDouble(MeasuredSetting::singleThreadQps).min().orElse(1);
    double qpsMax = rows.stream().mapToDouble(MeasuredSetting::singleThreadQps).max().orElse(10);
    double yMinLog = Math.floor(Math.log10(Math.max(1e-3, qpsMin)));
    double yMaxLog = Math.max(yMinLog + 1, Math.ceil(Math.log10(Math.max(1e-3, qpsMax))));

    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
          RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      Frame frame = new Frame(xMin, xMax, yMinLog, yMaxLog);
      drawAxes(g, frame, title, k);
      int index = 0;
      for (Map.Entry<String, List<MeasuredSetting>> entry : series.entrySet()) {
        Color color = PALETTE[index % PALETTE.length];
        drawSeries(g, frame, entry.getValue(), color);
        drawLegendEntry(g, index, entry.getKey(), color);
        index++;
      }
    } finally {
      g.dispose();
    }
    try {
      if (!ImageIO.write(image, "png", file.toFile())) {
        throw new IllegalStateException("no PNG writer available");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(file.toString(), e);
    }
  }

  /** Maps data to pixels: x = recall, y = log10(QPS). */
  private record Frame(double xMin, double xMax, double yMinLog, double yMaxLog) {
    int x(double recall) {
      return LEFT + (int) Math.round((recall - xMin) / (xMax - xMin) * (WIDTH - LEFT - RIGHT));
    }

    int y(double qps) {
      double log = Math.log10(Math.max(qps, 1e-3));
      return HEIGHT - BOTTOM
          - (int) Math.round((log - yMinLog) / (yMaxLog - yMinLog) * (HEIGHT - TOP - BOTTOM));
    }
  }

  private static void drawAxes(Graphics2D g, Frame frame, String title, int k) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int decade = (int) frame.yMinLog; decade <= (int) frame.yMaxLog; decade++) {
      for (int multiple : new int[] {1, 2, 5}) {
        double qps = multiple * Math.pow(10, decade);
        if (Math.log10(qps) > frame.yMaxLog + 1e-9) {
          continue;
        }
        int y = frame.y(qps);
        g.setColor(multiple == 1 ? new Color(0xCCCCCC) : new Color(0xEEEEEE));
        g.drawLine(LEFT, y, WIDTH - RIGHT, y);
        g.setColor(Color.DARK_GRAY);
        String label = formatQps(qps);
        g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 4);
      }
    }
    double range = frame.xMax - frame.xMin;
    double step = range > 0.3 ? 0.1 : range > 0.1 ? 0.05 : 0.01;
    for (double recall = frame.xMin; recall <= frame.xMax + 1e-9; recall += step) {
      int x = frame.x(recall);
      g.setColor(new Color(0xE5E5E5));
      g.drawLine(x, TOP, x, HEIGHT - BOTTOM);
      g.setColor(Color.DARK_GRAY);
      String label = String.format(Locale.ROOT, "%.2f", recall);
      g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, HEIGHT - BOTTOM + 18);
    }
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(title, LEFT, TOP - 18);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    String xLabel = "recall@" + k;
    g.drawString(xLabel, LEFT + (WIDTH - LEFT - RIGHT) / 2 - 30, HEIGHT - 25);
    Graphics2D rotated = (Graphics2D) g.create();
    rotated.rotate(-Math.PI / 2);
    rotated.drawString("queries per second, 1 thread (log scale)", -(HEIGHT + 250) / 2, 22);
    rotated.dispose();
  }

  private static void drawSeries(Graphics2D g, Frame frame, List<MeasuredSetting> points,
      Color color) {
    List<MeasuredSetting> ordered = new ArrayList<>(points);
    ordered.sort(Comparator.comparingInt((MeasuredSetting r) -> r.setting().efSearch())
        .thenComparingInt(r -> r.setting().nprobe()));
    g.setColor(color);
    g.setStroke(new BasicStroke(2f));
    for (int i = 1; i < ordered.size(); i++) {
      g.drawLine(frame.x(ordered.get(i - 1).recall()), frame.y(ordered.get(i - 1)
          .singleThreadQps()), frame.x(ordered.get(i).recall()),
          frame.y(ordered.get(i).singleThreadQps()));
    }
    for (MeasuredSetting point : ordered) {
      g.fillOval(frame.x(point.recall()) - 4, frame.y(point.singleThreadQps()) - 4, 8, 8);
    }
    g.setStroke(new BasicStroke(1f));
  }

  private static void drawLegendEntry(Graphics2D g, int index, String label, Color color) {
    int x = LEFT + 14;
    int y = HEIGHT - BOTTOM - 16 - index * 18;
    g.setColor(color);
    g.setStroke(new BasicStroke(2f));
    g.drawLine(x, y - 4, x + 22, y - 4);
    g.fillOval(x + 7, y - 8, 8, 8);
    g.setStroke(new BasicStroke(1f));
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawString(label, x + 30, y);
  }

  private static String formatQps(double qps) {
    if (qps >= 1000) {
      return String.format(Locale.ROOT, "%.0fK", qps / 1000);
    }
    return String.format(Locale.ROOT, "%.0f", qps);
  }
}
