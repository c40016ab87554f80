package io.trident.internal.collection;

import io.trident.AttributeType;
import io.trident.CollectionSpec;
import io.trident.error.UnknownAttributeException;
import java.util.HashMap;
import java.util.Map;

/**
 * A collection's declared attributes by position (declaration order): the position is what
 * records and columns use instead of the name. Immutable.
 */
public final class AttributeSchema {
  private final String collection;
  private final String[] names;
  private final AttributeType[] types;
  private final Map<String, Integer> positions = new HashMap<>();

  public AttributeSchema(String collection, CollectionSpec spec) {
    this.collection = collection;
    int count = spec.attributes().size();
    names = new String[count];
    types = new AttributeType[count];
    int position = 0;
    for (Map.Entry<String, AttributeType> attribute : spec.attributes().entrySet()) {
      names[position] = attribute.getKey();
      types[position] = attribute.getValue();
      positions.put(attribute.getKey(), position++);
    }
  }

  public int size() {
    return names.length;
  }

  public String name(int position) {
    return names[position];
  }

  public AttributeType type(int position) {
    return types[position];
  }

  /** The position of attribute {@code name}; throws when the spec does not declare it. */
  public int position(String name) {
    Integer position = name == null ? null : positions.get(name);
    if (position == null) {
      throw new UnknownAttributeException("collection " + collection + " declares no attribute "
          + (name == null ? "null" : "\"" + name + "\"") + " (it declares " + positions.keySet()
          + ")");
    }
    return position;
  }

  /** The collection's name, for messages. */
  public String collection() {
    return collection;
  }
}
