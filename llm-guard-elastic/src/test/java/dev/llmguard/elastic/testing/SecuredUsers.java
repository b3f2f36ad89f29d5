package dev.llmguard.elastic.testing;

/** Users and roles of the {@link Profile#SECURED} server. */
public final class SecuredUsers {
  private SecuredUsers() {}

  /** The least-privilege role shipped in {@code elastic/llm-guard-writer-role.json}. */
  public static final String WRITER_ROLE = "llm_guard_writer";

  /** The template-install role shipped in {@code elastic/llm-guard-setup-role.json}. */
  public static final String SETUP_ROLE = "llm_guard_setup";

  /** A role that may only watch the cluster. */
  public static final String MONITOR_ROLE = "llm_guard_test_monitor";

  public static final String MONITOR = "guard-monitor";
  public static final String MONITOR_PASSWORD = "monitor-Secret-31";
  public static final String WRITER = "guard-writer";
  public static final String WRITER_PASSWORD = "writer-Secret-17";
  public static final String SETUP = "guard-setup";
  public static final String SETUP_PASSWORD = "setup-Secret-23";
}
