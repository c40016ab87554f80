package io.trident;

import io.trident.error.InvalidOptionException;

/** A member address {@code host:port} as the options spell it. */
record HostPort(String host, int port) {

  /** @throws InvalidOptionException naming {@code option} when {@code text} is not host:port */
  static HostPort parse(String option, String text) {
    int colon = text == null ? -1 : text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw invalid(option, text, "is not host:port");
    }
    String host = text.substring(0, colon);
    if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
      throw invalid(option, text, "has a blank host");
    }
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      throw invalid(option, text, "is a wildcard address; name the address other members reach");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw invalid(option, text, "has a port that is not a number");
    }
    if (port < 1 || port > 65535) {
      throw invalid(option, text, "has a port outside 1..65535");
    }
    return new HostPort(host, port);
  }

  private static InvalidOptionException invalid(String option, String text, String problem) {
    return new InvalidOptionException("NodeOptions." + option + " \"" + text + "\" " + problem);
  }
}
