package dev.llmguard.elastic.testing;

/** Users and roles of the {@link Profile#SECURED} server. */
public final class SecuredUsers {
  private SecuredUsers() {}

  /** The least-privilege role shipped in {@code elastic/llm-guard-writer-role.json}. */
  public static final String WRITER_ROLE = "llm_guard_writer";

  /** The template-install role shipped in {@code elastic/llm-guard-setup-role.json}. */
  public static final String SETUP_ROLE = "llm_guard_setup";

  public static final String WRITER = "guard-writer";
  public static final String WRITER_PASSWORD = "writer-Secret-17";
  public static final String SETUP = "guard-setup";
  public static final String SETUP_PASSWORD = "setup-Secret-23";
  public static final String POWERLESS = "guard-monitor";
  public static final String POWERLESS_PASSWORD = "monitor-Secret-31";
}
