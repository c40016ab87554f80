package io.trident.bench.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options of the form {@code --name value}; a name may repeat. Every option must
 * be read once, so a misspelt option fails ({@link #rejectUnused}) instead of being ignored.
 * Not thread-safe.
 */
public final class Arguments {
  private final Map<String, List<String>> values;
  private final Set<String> used = new HashSet<>();

  private Arguments(Map<String, List<String>> values) {
    this.values = values;
  }

  /** Parses {@code --name value} pairs; throws IllegalArgumentException on anything else. */
  public static Arguments parse(String[] args) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i];
      if (!name.startsWith("--") || name.length() == 2) {
        throw new IllegalArgumentException("expected --option, got '" + name + "'");
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + name + " needs a value");
      }
      values.computeIfAbsent(name.substring(2), k -> new ArrayList<>()).add(args[i + 1]);
    }
    return new Arguments(values);
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** The last value given for {@code name}, or {@code fallback}. */
  public String string(String name, String fallback) {
    used.add(name);
    List<String> given = values.get(name);
    return given == null ? fallback : given.get(given.size() - 1);
  }

  public String required(String name) {
    String value = string(name, null);
    if (value == null) {
      throw new IllegalArgumentException("missing required option --" + name);
    }
    return value;
  }

  /** Every value given for {@code name}, in order; empty when absent. */
  public List<String> all(String name) {
    used.add(name);
    return values.getOrDefault(name, List.of());
  }

  public int intValue(String name, int fallback) {
    String value = string(name, null);
    return value == null ? fallback : parseInt(name, value);
  }

  public long longValue(String name, long fallback) {
    String value = string(name, null);
    try {
      return value == null ? fallback : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + ": not a number: " + value);
    }
  }

  public double doubleValue(String name, double fallback) {
    String value = string(name, null);
    try {
      return value == null ? fallback : Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + ": not a number: " + value);
    }
  }

  /** A comma-separated list of positive integers, e.g. {@code --ef 16,32,64}. */
  public List<Integer> intList(String name, List<Integer> fallback) {
    String value = string(name, null);
    if (value == null) {
      return fallback;
    }
    List<Integer> result = new ArrayList<>();
    for (String part : value.split(",")) {
      int parsed = parseInt(name, part);
      if (parsed <= 0) {
        throw new IllegalArgumentException("--" + name + ": values must be positive: " + value);
      }
      result.add(parsed);
    }
    return result;
  }

  /** A comma-separated list of names, e.g. {@code --peers lucene,jvector}. */
  public List<String> nameList(String name) {
    String value = string(name, null);
    List<String> result = new ArrayList<>();
    if (value != null) {
      for (String part : value.split(",")) {
        if (!part.isBlank()) {
          result.add(part.trim().toLowerCase(java.util.Locale.ROOT));
        }
      }
    }
    return result;
  }

  /** Throws if an option was given that no caller asked for. */
  public void rejectUnused() {
    for (String name : values.keySet()) {
      if (!used.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name);
      }
    }
  }

  private static int parseInt(String name, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + ": not a number: " + value);
    }
  }
}
