package io.trident;

import io.trident.error.InvalidArgumentException;
import io.trident.error.InvalidOptionException;
import io.trident.nativelib.ThreadPlacement;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Sets {@link NodeOptions.Builder} options from text, by name. */
final class OptionText {
  private OptionText() {}

  static void apply(NodeOptions.Builder builder, String name, String value) {
    if (value == null) {
      throw new InvalidOptionException("NodeOptions." + name + " has no value");
    }
    String text = value.trim();
    switch (name == null ? "" : name) {
      case "dataDir" -> builder.dataDir(Path.of(text));
      case "groupId" -> builder.groupId(text);
      case "self" -> builder.self(text);
      case "peers" -> builder.peers(text.isEmpty() ? List.of()
          : Arrays.stream(text.split(",")).map(String::trim).toList());
      case "joinExisting" -> builder.joinExisting(parseBoolean(name, text));
      case "electionTimeout" -> builder.electionTimeout(parseDuration(name, text));
      case "requestTimeout" -> builder.requestTimeout(parseDuration(name, text));
      case "snapshotInterval" -> builder.snapshotInterval(parseDuration(name, text));
      case "batchOpsMax" -> builder.batchOpsMax(parseInt(name, text));
      case "batchBytesMax" -> builder.batchBytesMax(parseInt(name, text));
      case "inflightOpsMax" -> builder.inflightOpsMax(parseInt(name, text));
      case "valueBytesMax" -> builder.valueBytesMax(parseInt(name, text));
      case "stateBufferBytesMax" -> builder.stateBufferBytesMax(parseLong(name, text));
      case "indexerCpuPercentWhileWriting" ->
          builder.indexerCpuPercentWhileWriting(parseInt(name, text));
      case "overloadPolicy" -> builder.overloadPolicy(parseEnum(OverloadPolicy.class, name, text));
      case "readConsistency" ->
          builder.readConsistency(parseEnum(ReadConsistency.class, name, text));
      case "journalThreadPlacement" -> builder.journalThreadPlacement(parsePlacement(name, text));
      case "searchThreadPlacement" -> builder.searchThreadPlacement(parsePlacement(name, text));
      default -> throw new InvalidOptionException("unknown option NodeOptions." + name
          + "; known: dataDir, groupId, self, peers, joinExisting, electionTimeout,"
          + " requestTimeout, snapshotInterval, batchOpsMax, batchBytesMax, inflightOpsMax,"
          + " valueBytesMax, stateBufferBytesMax, overloadPolicy, readConsistency,"
          + " journalThreadPlacement, searchThreadPlacement");
    }
  }

  private static boolean parseBoolean(String name, String text) {
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    throw unparsable(name, text, "true or false");
  }

  private static int parseInt(String name, String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw unparsable(name, text, "an integer");
    }
  }

  private static long parseLong(String name, String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw unparsable(name, text, "an integer");
    }
  }

  private static Duration parseDuration(String name, String text) {
    try {
      return text.chars().allMatch(Character::isDigit) && !text.isEmpty()
          ? Duration.ofMillis(Long.parseLong(text)) : Duration.parse(text);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw unparsable(name, text, "milliseconds or an ISO-8601 duration such as PT2S");
    }
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String name, String text) {
    try {
      return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw unparsable(name, text, "one of " + Arrays.toString(type.getEnumConstants()));
    }
  }

  private static ThreadPlacement parsePlacement(String name, String text) {
    try {
      return ThreadPlacement.parse(text);
    } catch (InvalidArgumentException e) {
      throw unparsable(name, text, "none, cpus:LIST (e.g. cpus:0-3,8) or node:N");
    }
  }

  private static InvalidOptionException unparsable(String name, String text, String expected) {
    return new InvalidOptionException("NodeOptions." + name + " \"" + text + "\" is not "
        + expected);
  }
}
