package io.trident;

import io.trident.error.InvalidSpecException;
import io.trident.search.IndexSpec;
import io.trident.search.Metric;
import io.trident.search.VectorIndex;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a {@link VectorCollection} holds: vectors of one dimension compared by one metric, the
 * native index structure that serves searches, and the typed attributes stored with each vector
 * that {@link Filter}s may use. Fixed when the collection is created. Immutable; build with
 * {@link #builder()}:
 *
 * <pre>{@code
 * CollectionSpec spec = CollectionSpec.builder().dimension(128).metric(Metric.COSINE)
 *     .index("HNSW32").attribute("color", AttributeType.STRING)
 *     .attribute("price", AttributeType.DOUBLE).attribute("labels", AttributeType.TAG).build();
 * }</pre>
 */
public final class CollectionSpec {
  /** Most attributes a collection declares. */
  public static final int ATTRIBUTES_MAX = 256;
  /** Longest string attribute value or tag, in UTF-8 bytes. */
  public static final int ATTRIBUTE_BYTES_MAX = 4096;
  /** Most tags one TAG attribute value holds. */
  public static final int TAGS_MAX = 1024;
  private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");

  private final int dimension;
  private final IndexSpec index;
  private final Map<String, AttributeType> attributes;

  private CollectionSpec(int dimension, IndexSpec index, Map<String, AttributeType> attributes) {
    this.dimension = dimension;
    this.index = index;
    this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  public static Builder builder() {
    return new Builder();
  }

  public int dimension() {
    return dimension;
  }

  public Metric metric() {
    return index.metric();
  }

  /** The native index structure, with this spec's metric. */
  public IndexSpec index() {
    return index;
  }

  /**
   * How many records the leader trains a structure that needs training on (0 for Flat and HNSW):
   * 39 per IVF list (FAISS's own floor for a k-means sample), at least 39 x 256 with PQ codebooks
   * (256 centroids each), and 1,000 for a bare scalar quantizer.
   */
  public int trainingRecords() {
    if (!index.needsTraining()) {
      return 0;
    }
    int records = index.factory().contains("IVF") ? 39 * number(index.factory(), "IVF", 0)
        : 1000;
    return index.factory().contains("PQ") ? Math.max(records, 39 * 256) : records;
  }

  /** The number right after {@code prefix} in {@code factory} (e.g. 256 of "IVF256"), or none. */
  private static int number(String factory, String prefix, int none) {
    java.util.regex.Matcher matcher = java.util.regex.Pattern.compile(prefix + "(\\d+)")
        .matcher(factory);
    return matcher.find() ? Integer.parseInt(matcher.group(1)) : none;
  }

  /** Declared attributes in declaration order. */
  public Map<String, AttributeType> attributes() {
    return attributes;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CollectionSpec that && dimension == that.dimension
        && index.equals(that.index)
        && List.copyOf(attributes.entrySet()).equals(List.copyOf(that.attributes.entrySet()));
  }

  @Override
  public int hashCode() {
    return Objects.hash(dimension, index, attributes);
  }

  @Override
  public String toString() {
    return "CollectionSpec{d=" + dimension + ", " + index + ", attributes=" + attributes + "}";
  }

  /** Collects the spec; {@link #build()} checks it. Not thread-safe. */
  public static final class Builder {
    private int dimension;
    private Metric metric;
    private IndexSpec index = IndexSpec.parse("HNSW32");
    private final Map<String, AttributeType> attributes = new LinkedHashMap<>();
    private String duplicate;

    private Builder() {}

    /** Floats per vector, 1..{@value VectorIndex#DIMENSION_MAX}; required. */
    public Builder dimension(int value) {
      dimension = value;
      return this;
    }

    /** L2 (the default), INNER_PRODUCT or COSINE. */
    public Builder metric(Metric value) {
      metric = Objects.requireNonNull(value, "metric");
      return this;
    }

    /**
     * The index structure as a factory string: {@code "HNSW32"} (the default), {@code "Flat"},
     * or a structure that needs training: {@code "IVF<lists>,Flat"}, {@code "IVF<lists>,PQ<m>"},
     * {@code "SQ8"}. Such a collection is trained once, by the leader, on its first {@link
     * CollectionSpec#trainingRecords} records, and the trained structure is replicated through
     * the log; until then its records are stored but searches find nothing.
     */
    public Builder index(String factory) {
      index = IndexSpec.parse(Objects.requireNonNull(factory, "index"));
      return this;
    }

    /**
     * The index structure with its build settings (e.g. {@code efConstruction}); its metric is
     * used unless {@link #metric} says otherwise.
     */
    public Builder index(IndexSpec value) {
      index = Objects.requireNonNull(value, "index");
      return this;
    }

    /** Declares one attribute; names are 1-64 of {@code [A-Za-z0-9_.-]}, not starting with a digit. */
    public Builder attribute(String name, AttributeType type) {
      if (attributes.put(name, type) != null && duplicate == null) {
        duplicate = name;
      }
      return this;
    }

    /** Declares every attribute of {@code value}, in its iteration order. */
    public Builder attributes(Map<String, AttributeType> value) {
      value.forEach(this::attribute);
      return this;
    }

    /** @throws InvalidSpecException naming the first problem */
    public CollectionSpec build() {
      require(dimension >= 1 && dimension <= VectorIndex.DIMENSION_MAX, "dimension must be 1.."
          + VectorIndex.DIMENSION_MAX + ", was " + dimension);
      IndexSpec effective = metric == null ? index : index.withMetric(metric);
      int subquantizers = number(effective.factory(), "PQ", 0);
      require(subquantizers == 0 || dimension % subquantizers == 0, "index "
          + effective.factory() + " needs a dimension divisible by " + subquantizers + ", was "
          + dimension);
      require(duplicate == null, "attribute " + duplicate + " is declared twice");
      require(attributes.size() <= ATTRIBUTES_MAX, "at most " + ATTRIBUTES_MAX
          + " attributes, got " + attributes.size());
      for (Map.Entry<String, AttributeType> attribute : attributes.entrySet()) {
        String name = attribute.getKey();
        require(name != null && ATTRIBUTE_NAME.matcher(name).matches(), "attribute name "
            + (name == null ? "null" : "\"" + name + "\"") + " must be 1-64 of [A-Za-z0-9_.-],"
            + " not starting with a digit, '.' or '-'");
        require(attribute.getValue() != null, "attribute " + name + " has no type");
      }
      return new CollectionSpec(dimension, effective, attributes);
    }

    private static void require(boolean condition, String problem) {
      if (!condition) {
        throw new InvalidSpecException("CollectionSpec: " + problem);
      }
    }
  }
}
