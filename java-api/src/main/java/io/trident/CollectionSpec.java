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
     * The index structure as a factory string: {@code "HNSW32"} (the default), {@code "Flat"};
     * structures that need training (IVF, PQ, SQ) are not offered for collections yet.
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
      require(!effective.needsTraining(), "index " + effective.factory() + " needs training;"
          + " collections offer HNSW<M> and Flat for now");
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
