package dev.llmguard;

import java.util.Objects;

/**
 * A function call requested by the assistant.
 *
 * @param id the provider's call id, echoed by the {@link Role#TOOL} message that answers it
 * @param name function name
 * @param arguments arguments as the provider sent them (usually a JSON string)
 */
public record ToolCall(String id, String name, String arguments) {
  public ToolCall {
    Objects.requireNonNull(name, "name");
    arguments = arguments == null ? "" : arguments;
  }
}
