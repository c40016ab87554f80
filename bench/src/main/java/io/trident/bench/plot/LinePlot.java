package io.trident.bench.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A small line chart written as PNG with Java2D (headless; no native plotting dependency): one
 * line with markers per series, optional log-scale axes, a title, axis labels and a legend.
 * Build it, add series, then {@link #writePng(Path)}. Not thread-safe.
 */
public final class LinePlot {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 600;
  private static final int MARGIN_LEFT = 90;
  private static final int MARGIN_RIGHT = 220;
  private static final int MARGIN_TOP = 50;
  private static final int MARGIN_BOTTOM = 70;
  private static final Color[] PALETTE = {new Color(0xD62728), new Color(0x1F77B4),
      new Color(0x2CA02C), new Color(0xFF7F0E), new Color(0x9467BD), new Color(0x8C564B),
      new Color(0xE377C2), new Color(0x7F7F7F), new Color(0x17BECF), new Color(0xBCBD22),
      new Color(0x393B79), new Color(0xAD494A)};

  /** One named line; points are drawn in the order given. */
  public record Series(String name, double[] x, double[] y) {}

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final boolean logX;
  private final boolean logY;
  private final List<Series> series = new ArrayList<>();

  public LinePlot(String title, String xLabel, String yLabel, boolean logX, boolean logY) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.logX = logX;
    this.logY = logY;
  }

  public LinePlot add(String name, double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("series " + name + ": x and y differ in length");
    }
    series.add(new Series(name, x.clone(), y.clone()));
    return this;
  }

  public void writePng(Path file) {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      draw(g);
    } finally {
      g.dispose();
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (!ImageIO.write(image, "png", file.toFile())) {
        throw new IOException("no PNG writer available");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write plot " + file, e);
    }
  }

  private void draw(Graphics2D g) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    Axis xAxis = Axis.of(series.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.x())).toArray(), logX);
    Axis yAxis = Axis.of(series.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.y())).toArray(), logY);
    int plotWidth = WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
    int plotHeight = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (double tick : xAxis.ticks()) {
      int px = MARGIN_LEFT + (int) (xAxis.fraction(tick) * plotWidth);
      g.setColor(new Color(0xE6E6E6));
      g.drawLine(px, MARGIN_TOP, px, MARGIN_TOP + plotHeight);
      g.setColor(Color.DARK_GRAY);
      String label = format(tick);
      g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, MARGIN_TOP + plotHeight + 18);
    }
    for (double tick : yAxis.ticks()) {
      int py = MARGIN_TOP + plotHeight - (int) (yAxis.fraction(tick) * plotHeight);
      g.setColor(new Color(0xE6E6E6));
      g.drawLine(MARGIN_LEFT, py, MARGIN_LEFT + plotWidth, py);
      g.setColor(Color.DARK_GRAY);
      String label = format(tick);
      g.drawString(label, MARGIN_LEFT - 8 - g.getFontMetrics().stringWidth(label), py + 4);
    }
    g.setColor(Color.BLACK);
    g.drawRect(MARGIN_LEFT, MARGIN_TOP, plotWidth, plotHeight);
    g.drawString(xLabel + (logX ? " (log)" : ""), MARGIN_LEFT + plotWidth / 2 - 40, HEIGHT - 25);
    Graphics2D rotated = (Graphics2D) g.create();
    rotated.rotate(-Math.PI / 2);
    rotated.drawString(yLabel + (logY ? " (log)" : ""), -(MARGIN_TOP + plotHeight / 2 + 40), 25);
    rotated.dispose();
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(title, MARGIN_LEFT, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.setStroke(new BasicStroke(2f));
    for (int s = 0; s < series.size(); s++) {
      Series line = series.get(s);
      g.setColor(PALETTE[s % PALETTE.length]);
      int previousX = -1;
      int previousY = -1;
      for (int i = 0; i < line.x().length; i++) {
        int px = MARGIN_LEFT + (int) (xAxis.fraction(line.x()[i]) * plotWidth);
        int py = MARGIN_TOP + plotHeight - (int) (yAxis.fraction(line.y()[i]) * plotHeight);
        g.fillOval(px - 4, py - 4, 8, 8);
        if (previousX >= 0) {
          g.drawLine(previousX, previousY, px, py);
        }
        previousX = px;
        previousY = py;
      }
      int legendY = MARGIN_TOP + 20 + s * 22;
      g.fillRect(WIDTH - MARGIN_RIGHT + 15, legendY - 9, 14, 10);
      g.setColor(Color.BLACK);
      g.drawString(line.name(), WIDTH - MARGIN_RIGHT + 35, legendY);
    }
  }

  private static String format(double value) {
    if (value != 0 && (Math.abs(value) >= 1e7 || Math.abs(value) < 0.01)) {
      return String.format(Locale.ROOT, "%.1e", value);
    }
    if (Math.abs(value) >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    return value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value)
        : String.format(Locale.ROOT, "%.3g", value);
  }

  /** Maps data values to [0, 1] on a linear or log scale, with rounded tick positions. */
  private record Axis(double min, double max, boolean log) {
    static Axis of(double[] values, boolean log) {
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (double v : values) {
        if (Double.isFinite(v) && (!log || v > 0)) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
      if (min > max) {
        min = log ? 1 : 0;
        max = log ? 10 : 1;
      }
      if (min == max) {
        min = log ? min / 2 : min - 1;
        max = log ? max * 2 : max + 1;
      }
      if (log) {
        return new Axis(Math.log10(min) - 0.05, Math.log10(max) + 0.05, true);
      }
      double pad = (max - min) * 0.05;
      return new Axis(min - pad, max + pad, false);
    }

    double fraction(double value) {
      double v = log ? Math.log10(Math.max(value, 1e-300)) : value;
      return (v - min) / (max - min);
    }

    List<Double> ticks() {
      List<Double> ticks = new ArrayList<>();
      if (log) {
        for (double e = Math.ceil(min); e <= max; e++) {
          ticks.add(Math.pow(10, e));
        }
        if (ticks.size() < 2) {
          ticks.add(Math.pow(10, (min + max) / 2));
        }
        return ticks;
      }
      double rough = (max - min) / 6;
      double step = Math.pow(10, Math.floor(Math.log10(rough)));
      for (double multiple : new double[] {1, 2, 5, 10}) {
        if (step * multiple >= rough) {
          step *= multiple;
          break;
        }
      }
      for (double t = Math.ceil(min / step) * step; t <= max; t += step) {
        ticks.add(t);
      }
      return ticks;
    }
  }
}
