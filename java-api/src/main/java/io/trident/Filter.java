package io.trident;

import io.trident.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Which records a search may return, by their declared attributes: equality, {@code in}, and
 * (LONG and DOUBLE attributes) inclusive ranges, combined with {@link #and}, {@link #or} and
 * {@link #not}. A filter is checked against the collection's spec when a search uses it (unknown
 * attribute, wrong value type: a typed exception) and applied inside the native search, so a
 * filter that keeps 1% of the records still yields k hits whenever k records match. Immutable
 * values; equal filters are {@code equals}.
 *
 * <pre>{@code
 * Filter cheapRed = Filter.and(Filter.eq("color", "red"), Filter.range("price", null, 20.0));
 * Filter tagged = Filter.or(Filter.in("labels", "sale", "new"), Filter.not(Filter.eq("stock", 0L)));
 * }</pre>
 */
public sealed interface Filter {
  /** Records whose {@code attribute} equals {@code value} (a TAG attribute: holds it). */
  static Filter eq(String attribute, Object value) {
    return new In(attribute, Arrays.asList(value));
  }

  /** Records whose {@code attribute} equals one of {@code values} (TAG: holds one of them). */
  static Filter in(String attribute, Object... values) {
    return new In(attribute, values == null ? null : Arrays.asList(values));
  }

  static Filter in(String attribute, Collection<?> values) {
    return new In(attribute, values == null ? null : new ArrayList<>(values));
  }

  /**
   * Records whose LONG or DOUBLE {@code attribute} lies in {@code [min, max]}; a null bound is
   * open. For a LONG attribute the bounds must be integers too.
   */
  static Filter range(String attribute, Number min, Number max) {
    return new Range(attribute, min, max);
  }

  /** Records every filter matches. */
  static Filter and(Filter... filters) {
    return new And(filters == null ? null : Arrays.asList(filters));
  }

  /** Records at least one filter matches. */
  static Filter or(Filter... filters) {
    return new Or(filters == null ? null : Arrays.asList(filters));
  }

  /** Records {@code filter} does not match (records lacking its attribute included). */
  static Filter not(Filter filter) {
    return new Not(filter);
  }

  /** {@code attribute} equals one of {@code values}; see {@link #in}. */
  record In(String attribute, List<Object> values) implements Filter {
    public In {
      requireName(attribute);
      if (values == null || values.isEmpty() || values.contains(null)) {
        throw new InvalidArgumentException("filter on " + attribute
            + " needs at least one value and no nulls, got " + values);
      }
      values = List.copyOf(values);
    }
  }

  /** {@code min <= attribute <= max}; a null bound is open; see {@link #range}. */
  record Range(String attribute, Number min, Number max) implements Filter {
    public Range {
      requireName(attribute);
      if (min == null && max == null) {
        throw new InvalidArgumentException("range filter on " + attribute + " needs a bound");
      }
    }
  }

  /** Every filter of {@code filters} matches. */
  record And(List<Filter> filters) implements Filter {
    public And {
      filters = requireFilters(filters, "and");
    }
  }

  /** At least one filter of {@code filters} matches. */
  record Or(List<Filter> filters) implements Filter {
    public Or {
      filters = requireFilters(filters, "or");
    }
  }

  /** {@code filter} does not match. */
  record Not(Filter filter) implements Filter {
    public Not {
      if (filter == null) {
        throw new InvalidArgumentException("not(null) is not a filter");
      }
    }
  }

  private static void requireName(String attribute) {
    if (attribute == null) {
      throw new InvalidArgumentException("a filter needs an attribute name, got null");
    }
  }

  private static List<Filter> requireFilters(List<Filter> filters, String what) {
    if (filters == null || filters.isEmpty() || filters.contains(null)) {
      throw new InvalidArgumentException(what + "(...) needs at least one filter and no nulls");
    }
    return List.copyOf(filters);
  }
}
