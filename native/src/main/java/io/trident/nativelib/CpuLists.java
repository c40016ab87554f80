package io.trident.nativelib;

import io.trident.error.InvalidArgumentException;
import java.util.Arrays;
import java.util.TreeSet;

/** Linux cpu/node list text ("0-3,8,10-11") to and from sorted int arrays. Stateless. */
final class CpuLists {
  /** Largest CPU number accepted (the native placement calls take 0..4095). */
  static final int CPU_MAX = 4095;

  private CpuLists() {}

  /** Ascending, distinct numbers; InvalidArgumentException naming {@code what} otherwise. */
  static int[] parse(String text, String what) {
    TreeSet<Integer> numbers = new TreeSet<>();
    String list = text.strip();
    if (list.isEmpty()) {
      throw new InvalidArgumentException(what + ": empty cpu list");
    }
    for (String item : list.split(",", -1)) {
      String[] ends = item.strip().split("-", -1);
      int first = parseNumber(ends[0], list, what);
      int last = ends.length == 2 ? parseNumber(ends[1], list, what) : first;
      if (ends.length > 2 || last < first) {
        throw new InvalidArgumentException(what + ": not a cpu list: \"" + list + "\"");
      }
      for (int number = first; number <= last; number++) {
        numbers.add(number);
      }
    }
    return numbers.stream().mapToInt(Integer::intValue).toArray();
  }

  /** "0-1,4-5" for {0, 1, 4, 5}; "" for none. The array must be ascending. */
  static String format(int[] ascending) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < ascending.length; i++) {
      int last = i;
      while (last + 1 < ascending.length && ascending[last + 1] == ascending[last] + 1) {
        last++;
      }
      text.append(text.length() == 0 ? "" : ",").append(ascending[i]);
      if (last > i) {
        text.append('-').append(ascending[last]);
      }
      i = last;
    }
    return text.toString();
  }

  static int[] sortedDistinct(int[] numbers) {
    return Arrays.stream(numbers).sorted().distinct().toArray();
  }

  private static int parseNumber(String digits, String list, String what) {
    String trimmed = digits.strip();
    if (trimmed.isEmpty() || trimmed.length() > 4 || !trimmed.chars().allMatch(Character::isDigit)
        || Integer.parseInt(trimmed) > CPU_MAX) {
      throw new InvalidArgumentException(
          what + ": not a cpu list of numbers 0.." + CPU_MAX + ": \"" + list + "\"");
    }
    return Integer.parseInt(trimmed);
  }
}
