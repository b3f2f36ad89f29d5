package dev.llmguard.proxy.demo;

import com.fasterxml.jackson.databind.JsonNode;

/** Opens the demo expectations to tests in other packages. */
public final class DemoTestAccess {
  private DemoTestAccess() {}

  public static void assertEvent(DemoReport.Result r, JsonNode event) {
    DemoExpectations.assertEvent(r, event);
  }
}
