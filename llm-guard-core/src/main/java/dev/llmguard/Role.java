package dev.llmguard;

import java.util.Locale;

/** Author of a chat message. */
public enum Role {
  SYSTEM,
  DEVELOPER,
  USER,
  ASSISTANT,
  TOOL;

  /** Wire name, lower case ({@code user}). */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the model treats this message as instructions from the application. */
  public boolean isInstruction() {
    return this == SYSTEM || this == DEVELOPER;
  }

  public static Role fromId(String id) {
    try {
      return valueOf(id.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidRequestException(
          "Unknown message role '" + id + "'; expected system, developer, user, assistant or tool");
    }
  }
}
