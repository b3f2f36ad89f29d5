package dev.llmguard.elastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.llmguard.elastic.testing.ElasticsearchExtension;
import dev.llmguard.elastic.testing.ElasticsearchServer;
import dev.llmguard.elastic.testing.Profile;
import dev.llmguard.elastic.testing.SecuredUsers;
import dev.llmguard.elastic.testing.Server;
import dev.llmguard.event.GuardEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security on (TLS on HTTP, file-realm users): the shipped least-privilege role can write and
 * nothing else; wrong or weak credentials give a clear error and lose nothing.
 */
@ExtendWith(ElasticsearchExtension.class)
class SecurityIT {

  @TempDir Path spool;
  private ElasticsearchServer es;

  @BeforeEach
  void server(@Server(Profile.SECURED) ElasticsearchServer es) {
    this.es = es;
  }

  private ElasticsearchSinkConfig.Builder as(String user, String password, String namespace) {
    return ElasticsearchSinkConfig.builder()
        .url(es.url())
        .caCertificate(es.caCertificate())
        .username(user)
        .password(password)
        .namespace(namespace)
        .spoolPath(spool);
  }

  private void installTemplateAsSetupUser() {
    ElasticsearchEventSink.create(
            as(SecuredUsers.SETUP, SecuredUsers.SETUP_PASSWORD, "setup").failFast(true).build())
        .close();
  }

  @Test
  void theLeastPrivilegedWriterCanWriteButCannotReadOrDelete() {
    installTemplateAsSetupUser();
    ElasticsearchSinkConfig config =
        as(SecuredUsers.WRITER, SecuredUsers.WRITER_PASSWORD, "least_privilege")
            .skipTemplate(true)
            .failFast(true)
            .build();
    List<GuardEvent> events = TestEvents.copies("full-alert", 200);
    try (ElasticsearchEventSink sink = ElasticsearchEventSink.create(config)) {
      sink.publish(events);
      sink.flush();
      assertThat(sink.stats().delivered()).isEqualTo(200);
    }
    Map<String, Long> counts = IndexedEvents.countsByEventId(es, config.dataStream());
    assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(TestEvents.ids(events));
    assertThat(new HashSet<>(counts.values())).containsExactly(1L);

    String ds = config.dataStream();
    assertForbidden("POST", "/" + ds + "/_search", "{}");
    assertForbidden("GET", "/" + ds + "/_count", null);
    // The test distribution has no GET _data_stream; the mapping answer is keyed by backing index.
    ElasticsearchServer.RestResponse stream = es.request("GET", "/" + ds + "/_mapping", null);
    String backingIndex = IndexedEvents.read(stream.body()).fieldNames().next();
    assertThat(backingIndex).as(stream.body()).startsWith(".ds-" + ds);
    assertForbidden("DELETE", "/" + backingIndex + "/_doc/" + events.get(0).id(), null);
    assertForbidden("DELETE", "/" + backingIndex, null);
    assertForbidden("PUT", "/audit-trail/_create/1", "{\"note\":\"not for the guard\"}");
    assertThat(IndexedEvents.count(es, ds)).isEqualTo(200);
  }

  private void assertForbidden(String method, String path, String body) {
    ElasticsearchServer.RestResponse r =
        es.request(method, path, body, SecuredUsers.WRITER, SecuredUsers.WRITER_PASSWORD);
    assertThat(r.status()).as(method + " " + path + " as the writer: " + r.body()).isEqualTo(403);
  }

  @Test
  void aWrongPasswordFailsFastWithAClearMessage() {
    ElasticsearchSinkConfig config =
        as(SecuredUsers.WRITER, "not-the-password", "wrong_password")
            .skipTemplate(true)
            .failFast(true)
            .build();
    assertThatThrownBy(() -> ElasticsearchEventSink.create(config))
        .isInstanceOf(ElasticsearchAuthenticationException.class)
        .hasMessageContaining("rejected the credentials of user 'guard-writer'")
        .hasMessageContaining("HTTP 401")
        .hasMessageContaining("ELASTIC_USER/ELASTIC_PASSWORD");
  }

  @Test
  void aWrongPasswordKeepsEveryEventInTheSpoolUntilTheRightOneIsGiven() {
    installTemplateAsSetupUser();
    List<GuardEvent> events = TestEvents.copies("benign-chat", 120);
    ElasticsearchSinkConfig wrong =
        as(SecuredUsers.WRITER, "not-the-password", "kept_in_spool").skipTemplate(true).build();
    try (ElasticsearchEventSink sink = ElasticsearchEventSink.create(wrong)) {
      sink.publish(events);
      sink.flush();
      assertThat(sink.state()).isEqualTo(ElasticsearchEventSink.State.REJECTED);
      assertThat(sink.lastError())
          .get()
          .asString()
          .contains("rejected the credentials of user 'guard-writer'");
      assertThat(sink.stats().spooled()).isEqualTo(120);
      assertThat(sink.stats().delivered()).isZero();
    }
    ElasticsearchSinkConfig right =
        as(SecuredUsers.WRITER, SecuredUsers.WRITER_PASSWORD, "kept_in_spool")
            .skipTemplate(true)
            .build();
    try (ElasticsearchEventSink sink = ElasticsearchEventSink.create(right)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> sink.stats().spoolBytes() == 0);
      assertThat(sink.stats().replayed()).isEqualTo(120);
    }
    Map<String, Long> counts = IndexedEvents.countsByEventId(es, right.dataStream());
    assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(TestEvents.ids(events));
  }

  @Test
  void aUserWithoutWritePrivilegesGetsAnErrorNamingEachMissingPrivilege() {
    ElasticsearchSinkConfig config =
        as(SecuredUsers.MONITOR, SecuredUsers.MONITOR_PASSWORD, "too_weak")
            .skipTemplate(true)
            .failFast(true)
            .build();
    assertThatThrownBy(() -> ElasticsearchEventSink.create(config))
        .isInstanceOf(ElasticsearchAuthorizationException.class)
        .hasMessageContaining("accepted user 'guard-monitor' but it lacks the privileges")
        .hasMessageContaining("llm_guard_writer")
        .satisfies(
            e ->
                assertThat(((ElasticsearchAuthorizationException) e).missingPrivileges())
                    .containsExactly(
                        "index:create_doc:logs-llm_guard.events-too_weak",
                        "index:auto_configure:logs-llm_guard.events-too_weak"));
  }

  @Test
  void theWriterAloneCannotInstallTheTemplateAndIsToldWhichPrivilegeIsMissing() {
    ElasticsearchSinkConfig config =
        as(SecuredUsers.WRITER, SecuredUsers.WRITER_PASSWORD, "no_template").failFast(true).build();
    assertThatThrownBy(() -> ElasticsearchEventSink.create(config))
        .isInstanceOf(ElasticsearchAuthorizationException.class)
        .hasMessageContaining("skip-template=true")
        .satisfies(
            e ->
                assertThat(((ElasticsearchAuthorizationException) e).missingPrivileges())
                    .containsExactly("cluster:manage_index_templates"));
  }
}
