package dev.llmguard.detect.exfiltration;

/** Where a URL sits in the answer, which decides whether rendering fetches it by itself. */
enum UrlKind {
  MARKDOWN_IMAGE("markdown image", true),
  MARKDOWN_LINK("markdown link", false),
  HTML_FETCH("HTML element that loads its source", true),
  HTML_LINK("HTML link", false),
  AUTOLINK("autolink", false),
  BARE("bare URL", false);

  private final String label;
  private final boolean fetchedOnRender;

  UrlKind(String label, boolean fetchedOnRender) {
    this.label = label;
    this.fetchedOnRender = fetchedOnRender;
  }

  String label() {
    return label;
  }

  /** Whether a renderer requests the URL without any click (images, iframes, scripts). */
  boolean fetchedOnRender() {
    return fetchedOnRender;
  }

  String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
